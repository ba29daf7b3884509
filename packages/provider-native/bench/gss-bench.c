/*
 * The C baseline for sspkit's native benchmark: the same GSSAPI calls the TypeScript side makes,
 * linked directly against libgssapi_krb5. Written for this benchmark (not adapted from elsewhere).
 *
 *   gss-bench handshake N KEYTAB CCACHE            in-process init+accept, cached service ticket
 *   gss-bench handshake-memory N KEYTAB CCACHE     same, the tickets first copied into a MEMORY ccache
 *                                                  (what sspkit's pinned first legs read; see README)
 *   gss-bench handshake-kdc N KEYTAB TGT_CCACHE    same, each from a fresh copy of a TGT-only ccache
 *   gss-bench wrap SIZE N KEYTAB CCACHE            wrap+unwrap of SIZE bytes, N times
 *   gss-bench wrap-iov SIZE N KEYTAB CCACHE        the same in place with gss_wrap_iov/unwrap_iov
 *                                                  (HEADER + DATA + PADDING, header sized once)
 * Prints one line: the operation count per second.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, OM_uint32 maj) {
    fprintf(stderr, "%s failed: major 0x%x\n", what, maj);
    exit(1);
}

/* GSS_BENCH_CLOCK=cpu: the process's CPU time instead of wall time (see measure.ts). */
static double now(void) {
    static int cpu = -1;
    if (cpu < 0) {
        const char *c = getenv("GSS_BENCH_CLOCK");
        cpu = c != NULL && strcmp(c, "cpu") == 0;
    }
    struct timespec ts;
    clock_gettime(cpu ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gss_cred_id_t cred_from(const char *key, const char *value, gss_cred_usage_t usage) {
    OM_uint32 min, maj;
    gss_key_value_element_desc el = { key, value };
    gss_key_value_set_desc store = { 1, &el };
    gss_OID_set_desc mechs = { 1, (gss_OID)gss_mech_krb5 };
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    maj = gss_acquire_cred_from(&min, GSS_C_NO_NAME, 0, &mechs, usage, &store, &cred, NULL, NULL);
    if (GSS_ERROR(maj)) die("gss_acquire_cred_from", maj);
    return cred;
}

static void handshake(gss_cred_id_t icred, gss_cred_id_t acred, gss_name_t target,
                      gss_ctx_id_t *ictx, gss_ctx_id_t *actx) {
    OM_uint32 min, maj;
    gss_buffer_desc t1 = GSS_C_EMPTY_BUFFER, t2 = GSS_C_EMPTY_BUFFER, t3 = GSS_C_EMPTY_BUFFER;
    maj = gss_init_sec_context(&min, icred, ictx, target, (gss_OID)gss_mech_krb5,
                               GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG,
                               0, GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &t1, NULL, NULL);
    if (GSS_ERROR(maj)) die("init", maj);
    maj = gss_accept_sec_context(&min, actx, acred, &t1, GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &t2, NULL, NULL, NULL);
    if (GSS_ERROR(maj)) die("accept", maj);
    maj = gss_init_sec_context(&min, icred, ictx, target, (gss_OID)gss_mech_krb5, 0, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, &t2, NULL, &t3, NULL, NULL);
    if (GSS_ERROR(maj)) die("init2", maj);
    gss_release_buffer(&min, &t1);
    gss_release_buffer(&min, &t2);
    gss_release_buffer(&min, &t3);
}

static void copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[8192];
    size_t n;
    if (!in || !out) { perror("copy"); exit(1); }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

int main(int argc, char **argv) {
    OM_uint32 min, maj;
    if (argc < 5) { fprintf(stderr, "usage: see source\n"); return 2; }
    const char *mode = argv[1];
    int iov_mode = strcmp(mode, "wrap-iov") == 0;
    int wrap_mode = strcmp(mode, "wrap") == 0 || iov_mode;
    size_t size = wrap_mode ? (size_t)atol(argv[2]) : 0;
    long n = atol(argv[wrap_mode ? 3 : 2]);
    const char *keytab = argv[wrap_mode ? 4 : 3], *ccache = argv[wrap_mode ? 5 : 4];
    gss_buffer_desc tname = { strlen("HTTP@localhost"), "HTTP@localhost" };
    gss_name_t target;
    maj = gss_import_name(&min, &tname, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (GSS_ERROR(maj)) die("import_name", maj);
    gss_cred_id_t acred = cred_from("keytab", keytab, GSS_C_ACCEPT);
    char store[4096];

    if (strcmp(mode, "handshake-kdc") == 0) {
        char copy[4096];
        snprintf(copy, sizeof copy, "%s.c-copy", ccache);
        snprintf(store, sizeof store, "FILE:%s", copy);
        double t0 = now();
        for (long i = 0; i < n; i++) {
            copy_file(ccache, copy);
            gss_cred_id_t icred = cred_from("ccache", store, GSS_C_INITIATE);
            gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
            handshake(icred, acred, target, &ictx, &actx);
            gss_delete_sec_context(&min, &ictx, NULL);
            gss_delete_sec_context(&min, &actx, NULL);
            gss_release_cred(&min, &icred);
        }
        printf("%.1f\n", n / (now() - t0));
        return 0;
    }
    snprintf(store, sizeof store, "FILE:%s", ccache);
    if (strcmp(mode, "handshake-memory") == 0) {
        /* A file ccache is read (opened, locked, scanned) on every first leg; a MEMORY one is not. */
        krb5_context k;
        krb5_ccache from, to;
        krb5_principal client;
        if (krb5_init_context(&k) || krb5_cc_resolve(k, store, &from) || krb5_cc_get_principal(k, from, &client) ||
            krb5_cc_resolve(k, "MEMORY:gss-bench", &to) || krb5_cc_initialize(k, to, client) ||
            krb5_cc_copy_creds(k, from, to)) {
            fprintf(stderr, "copying the ccache into memory failed\n");
            return 1;
        }
        snprintf(store, sizeof store, "MEMORY:gss-bench");
        mode = "handshake";
    }
    gss_cred_id_t icred = cred_from("ccache", store, GSS_C_INITIATE);
    if (strcmp(mode, "handshake") == 0) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
            handshake(icred, acred, target, &ictx, &actx);
            gss_delete_sec_context(&min, &ictx, NULL);
            gss_delete_sec_context(&min, &actx, NULL);
        }
        printf("%.1f\n", n / (now() - t0));
        return 0;
    }
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    handshake(icred, acred, target, &ictx, &actx);
    char *msg = calloc(1, size ? size : 1);
    gss_buffer_desc in = { size, msg };
    if (iov_mode) {
        gss_iov_buffer_desc iov[3];
        int conf;
        memset(iov, 0, sizeof iov);
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer = in;
        iov[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
        maj = gss_wrap_iov_length(&min, ictx, 1, 0, &conf, iov, 3);
        if (GSS_ERROR(maj)) die("wrap_iov_length", maj);
        size_t header_len = iov[0].buffer.length;
        char *header = calloc(1, header_len ? header_len : 1);
        double t1 = now();
        for (long i = 0; i < n; i++) {
            iov[0].buffer.length = header_len;
            iov[0].buffer.value = header;
            iov[1].buffer = in;
            iov[2].buffer.length = 0;
            iov[2].buffer.value = NULL;
            maj = gss_wrap_iov(&min, ictx, 1, 0, &conf, iov, 3);
            if (GSS_ERROR(maj)) die("wrap_iov", maj);
            maj = gss_unwrap_iov(&min, actx, &conf, NULL, iov, 3);
            if (GSS_ERROR(maj)) die("unwrap_iov", maj);
        }
        printf("%.1f\n", n / (now() - t1));
        return 0;
    }
    double t0 = now();
    for (long i = 0; i < n; i++) {
        gss_buffer_desc wrapped, plain;
        int conf;
        maj = gss_wrap(&min, ictx, 1, 0, &in, &conf, &wrapped);
        if (GSS_ERROR(maj)) die("wrap", maj);
        maj = gss_unwrap(&min, actx, &wrapped, &plain, &conf, NULL);
        if (GSS_ERROR(maj)) die("unwrap", maj);
        gss_release_buffer(&min, &wrapped);
        gss_release_buffer(&min, &plain);
    }
    printf("%.1f\n", n / (now() - t0));
    return 0;
}
