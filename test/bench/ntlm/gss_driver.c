/*
 * gss-ntlmssp benchmark driver for test/bench/ntlm.bench.ts: its own initiator and acceptor in one
 * process, driven through MIT's GSSAPI mechglue. Compiled by the benchmark at run time
 * (cc -O2 ... -lgssapi_krb5). The environment must point NTLM_USER_FILE at a DOMAIN:user:password
 * file and GSS_MECH_CONFIG at a mech file that loads only gss-ntlmssp.
 *
 * argv: USER DOMAIN PASSWORD. Then one command per line on stdin, one answer per line on stdout:
 *   hs N           -> "ok WALL_NS CPU_NS"   N full handshakes (3 legs), contexts deleted each time
 *   seal SIZE N    -> "ok WALL_NS CPU_NS"   N gss_wrap(conf_req=1) + gss_unwrap of SIZE bytes
 *   sample         -> "ok HEX1 HEX2 HEX3"   the NEGOTIATE, CHALLENGE and AUTHENTICATE of one handshake
 * Any failure answers "error ..." and the process exits 1, since a benchmark with failures means nothing.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static gss_OID_desc ntlmssp_oid = {10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"}; /* 1.3.6.1.4.1.311.2.2.10 */
/* GSS_SPNEGO_REQUIRE_MIC 1.3.6.1.4.1.7165.655.1.2: asking gss-ntlmssp about it (as MIT's SPNEGO does
 * between the legs) is what makes its initiator put a MIC in the AUTHENTICATE message; without
 * it gss-ntlmssp sends none, and the two sides would not run the same protocol. */
static gss_OID_desc require_mic_oid = {11, "\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x02"};
static gss_cred_id_t icred = GSS_C_NO_CREDENTIAL, acred = GSS_C_NO_CREDENTIAL;
static gss_name_t target = GSS_C_NO_NAME;
/* The context pair used by every seal run, established once at start-up. */
static gss_ctx_id_t seal_i = GSS_C_NO_CONTEXT, seal_a = GSS_C_NO_CONTEXT;

static void die(const char *what, OM_uint32 maj, OM_uint32 min) {
    printf("error %s major=0x%x minor=0x%x\n", what, maj, min);
    fflush(stdout);
    exit(1);
}

static uint64_t now_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void acquire(const char *user, const char *domain, const char *password) {
    OM_uint32 maj, min;
    gss_OID_set_desc mechs = {1, &ntlmssp_oid};
    char principal[512];
    snprintf(principal, sizeof principal, "%s\\%s", domain, user);
    gss_buffer_desc nb = {strlen(principal), principal}, pw = {strlen(password), (void *)password};
    gss_name_t name;
    maj = gss_import_name(&min, &nb, GSS_C_NT_USER_NAME, &name);
    if (GSS_ERROR(maj)) die("import_name(user)", maj, min);
    maj = gss_acquire_cred_with_password(&min, name, &pw, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &icred, NULL, NULL);
    if (GSS_ERROR(maj)) die("acquire_cred_with_password", maj, min);
    gss_release_name(&min, &name);
    maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, &acred, NULL, NULL);
    if (GSS_ERROR(maj)) die("acquire_cred(accept)", maj, min);
    gss_buffer_desc tb = {strlen("HTTP@server.example"), "HTTP@server.example"};
    maj = gss_import_name(&min, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (GSS_ERROR(maj)) die("import_name(target)", maj, min);
}

static void hex(const gss_buffer_desc *b) {
    putchar(' ');
    for (size_t i = 0; i < b->length; i++) printf("%02x", ((const unsigned char *)b->value)[i]);
}

/* One full handshake: NEGOTIATE -> CHALLENGE -> AUTHENTICATE, both sides complete. */
static void handshake(gss_ctx_id_t *ic, gss_ctx_id_t *ac, int print) {
    OM_uint32 maj, min;
    gss_buffer_desc t1 = GSS_C_EMPTY_BUFFER, t2 = GSS_C_EMPTY_BUFFER, t3 = GSS_C_EMPTY_BUFFER, t4 = GSS_C_EMPTY_BUFFER;
    OM_uint32 flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    maj = gss_init_sec_context(&min, icred, ic, target, &ntlmssp_oid, flags, 0, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &t1, NULL, NULL);
    if (maj != GSS_S_CONTINUE_NEEDED) die("init(1)", maj, min);
    maj = gss_accept_sec_context(&min, ac, acred, &t1, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &t2, NULL, NULL, NULL);
    if (maj != GSS_S_CONTINUE_NEEDED) die("accept(1)", maj, min);
    gss_buffer_set_t mic_answer = GSS_C_NO_BUFFER_SET;
    maj = gss_inquire_sec_context_by_oid(&min, *ic, &require_mic_oid, &mic_answer);
    if (GSS_ERROR(maj)) die("inquire_sec_context_by_oid(require_mic)", maj, min);
    gss_release_buffer_set(&min, &mic_answer);
    maj = gss_init_sec_context(&min, icred, ic, target, &ntlmssp_oid, flags, 0, GSS_C_NO_CHANNEL_BINDINGS, &t2, NULL, &t3, NULL, NULL);
    if (maj != GSS_S_COMPLETE) die("init(2)", maj, min);
    maj = gss_accept_sec_context(&min, ac, acred, &t3, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &t4, NULL, NULL, NULL);
    if (maj != GSS_S_COMPLETE) die("accept(2)", maj, min);
    if (print) {
        printf("ok");
        hex(&t1);
        hex(&t2);
        hex(&t3);
        printf("\n");
    }
    gss_release_buffer(&min, &t1);
    gss_release_buffer(&min, &t2);
    gss_release_buffer(&min, &t3);
    gss_release_buffer(&min, &t4);
}

static void run_handshakes(long n) {
    OM_uint32 min;
    for (long i = 0; i < n; i++) {
        gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT;
        handshake(&ic, &ac, 0);
        gss_delete_sec_context(&min, &ic, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&min, &ac, GSS_C_NO_BUFFER);
    }
}

static void run_seal(size_t size, long n) {
    OM_uint32 maj, min;
    unsigned char *data = malloc(size);
    if (!data) die("malloc", 0, 0);
    memset(data, 0x5a, size);
    gss_buffer_desc in = {size, data};
    for (long i = 0; i < n; i++) {
        gss_buffer_desc wrapped = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
        int conf = 0;
        maj = gss_wrap(&min, seal_i, 1, GSS_C_QOP_DEFAULT, &in, &conf, &wrapped);
        if (GSS_ERROR(maj) || !conf) die("wrap", maj, min);
        maj = gss_unwrap(&min, seal_a, &wrapped, &out, &conf, NULL);
        if (GSS_ERROR(maj) || !conf || out.length != size) die("unwrap", maj, min);
        /* Checking every byte would add a pass over the data that our side does not make; once is enough. */
        if (i == 0 && memcmp(out.value, data, size) != 0) die("unwrap(content)", 0, 0);
        gss_release_buffer(&min, &wrapped);
        gss_release_buffer(&min, &out);
    }
    free(data);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: gss_driver USER DOMAIN PASSWORD\n");
        return 2;
    }
    acquire(argv[1], argv[2], argv[3]);
    handshake(&seal_i, &seal_a, 0);
    printf("ready\n");
    fflush(stdout);
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        long n = 0, size = 0;
        uint64_t w0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
        if (sscanf(line, "hs %ld", &n) == 1) {
            run_handshakes(n);
        } else if (sscanf(line, "seal %ld %ld", &size, &n) == 2) {
            run_seal((size_t)size, n);
        } else if (strncmp(line, "sample", 6) == 0) {
            gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT;
            OM_uint32 min;
            handshake(&ic, &ac, 1);
            gss_delete_sec_context(&min, &ic, GSS_C_NO_BUFFER);
            gss_delete_sec_context(&min, &ac, GSS_C_NO_BUFFER);
            fflush(stdout);
            continue;
        } else {
            printf("error unknown command\n");
            fflush(stdout);
            continue;
        }
        uint64_t w1 = now_ns(CLOCK_MONOTONIC), c1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
        printf("ok %llu %llu\n", (unsigned long long)(w1 - w0), (unsigned long long)(c1 - c0));
        fflush(stdout);
    }
    return 0;
}
