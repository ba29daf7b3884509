import { describe, expect, it } from 'vitest';
import {
  clientProof,
  makeVerifier,
  parseClientFinal,
  parseClientFirst,
  parseServerFirst,
  saltedPassword,
  serverSignature,
  verifyProof,
} from '../src/index.js';

// RFC 7677 §3: the SCRAM-SHA-256 example exchange (user "user", password "pencil").
const clientFirst = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const clientFinal =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const serverFinal = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

describe('RFC 7677 §3 example', () => {
  const cf = parseClientFirst(clientFirst)!;
  const sf = parseServerFirst(serverFirst)!;
  const fin = parseClientFinal(clientFinal)!;
  const authMessage = `${cf.bare},${serverFirst},${fin.withoutProof}`;

  it('the client computes the published proof and expects the published server signature', () => {
    const salted = saltedPassword('pencil', sf.salt, sf.iterations);
    const { proof, serverSignature: expected } = clientProof(salted, authMessage);
    expect(`${fin.withoutProof},p=${proof.toString('base64')}`).toBe(clientFinal);
    expect(`v=${expected.toString('base64')}`).toBe(serverFinal);
  });

  it('a server holding only the verifier accepts the proof and answers the published signature', () => {
    const v = makeVerifier('pencil', sf.salt, sf.iterations);
    expect(verifyProof(v, authMessage, fin.proof)).toBe(true);
    expect(`v=${serverSignature(v, authMessage).toString('base64')}`).toBe(serverFinal);
    const flipped = Buffer.from(fin.proof);
    flipped[0]! ^= 1;
    expect(verifyProof(v, authMessage, flipped)).toBe(false);
  });
});
