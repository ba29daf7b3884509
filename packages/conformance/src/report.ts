/** Report output: the table grouped by SSPI function, and JUnit XML. */
import type { CheckResult, ConformanceReport } from './types.js';

const MARK = { pass: 'PASS', fail: 'FAIL', skip: 'skip' } as const;

function resultText(r: CheckResult): string {
  return r.outcome === 'fail' && !r.required ? 'WARN' : MARK[r.outcome];
}

function detail(r: CheckResult): string {
  if (r.outcome === 'skip') return r.reason ?? '';
  if (r.seen === undefined) return '';
  const step = r.step && r.step !== 'summary' ? `${r.step}: ` : '';
  return `${step}seen ${r.seen}; expected ${r.expected ?? '?'}`;
}

/** The human table: one section per SSPI function, one line per check. */
export function formatReport(report: ConformanceReport): string {
  const lines: string[] = [];
  const p = report.package;
  lines.push(`sspkit conformance: ${p.name} (${p.source})`);
  lines.push(`  capabilities: ${p.capabilityNames.join(' | ') || 'none'}; cbMaxToken ${p.maxToken}`);
  lines.push(`  baseline handshake: ${report.baseline.ok ? report.baseline.statuses.join(' → ') : 'did not complete'}`);
  lines.push('');
  const groups = new Map<string, CheckResult[]>();
  for (const r of report.checks) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const idWidth = Math.max(...report.checks.map((r) => r.id.length), 5);
  for (const [group, results] of groups) {
    lines.push(group);
    for (const r of results)
      lines.push(`  ${resultText(r).padEnd(4)}  ${r.id.padEnd(idWidth)}  ${detail(r)}`.trimEnd());
  }
  const s = report.summary;
  lines.push('');
  const verdict = !report.ok
    ? 'DOES NOT CONFORM'
    : s.requiredSkipped > 0
      ? `CONFORMS, provided the ${s.requiredSkipped} required check(s) skipped by configuration hold`
      : 'CONFORMS';
  lines.push(
    `${s.passed} passed, ${s.failed} failed (${s.requiredFailed} required), ${s.skipped} skipped, ${s.total} checks: ${verdict}`,
  );
  return `${lines.join('\n')}\n`;
}

function xml(text: string): string {
  return (
    text
      .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
      // eslint-disable-next-line no-control-regex -- XML 1.0 §2.2 forbids these characters, so they are dropped
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/** JUnit XML: one testsuite per SSPI function, one testcase per check. */
export function junitReport(report: ConformanceReport): string {
  const groups = new Map<string, CheckResult[]>();
  for (const r of report.checks) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = report.summary;
  out.push(
    `<testsuites name="sspkit conformance: ${xml(report.package.name)}" tests="${s.total}" failures="${s.failed}" skipped="${s.skipped}">`,
  );
  for (const [group, results] of groups) {
    const failures = results.filter((r) => r.outcome === 'fail').length;
    const skipped = results.filter((r) => r.outcome === 'skip').length;
    out.push(
      `  <testsuite name="${xml(group)}" tests="${results.length}" failures="${failures}" skipped="${skipped}">`,
    );
    for (const r of results) {
      const open = `    <testcase classname="${xml(`${report.package.name}.${r.area}`)}" name="${xml(`${r.id}: ${r.title}`)}"`;
      if (r.outcome === 'pass') out.push(`${open}/>`);
      else if (r.outcome === 'skip')
        out.push(`${open}>\n      <skipped message="${xml(r.reason ?? '')}"/>\n    </testcase>`);
      else
        out.push(
          `${open}>\n      <failure message="${xml(detail(r))}" type="${r.required ? 'required' : 'optional'}"/>\n    </testcase>`,
        );
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
