/*
 * Throughput of libwbxml (Debian libwbxml2-dev) over a corpus written by CorpusDump:
 * WBXML -> XML (wbxml2xml) and XML -> WBXML (xml2wbxml), whole corpus per operation, like
 * CodecBenchmark.transcode*. Build and run: see docs/codec.md, "Benchmarks".
 *   cc -O2 -o libwbxml_bench libwbxml_bench.c $(pkg-config --cflags --libs libwbxml2)
 *   ./libwbxml_bench DIR SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

static unsigned char *load(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*len + 1);
    if (fread(b, 1, *len, f) != (size_t) *len) { fclose(f); free(b); return NULL; }
    b[*len] = 0;
    fclose(f);
    return b;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s DIR SECONDS\n", argv[0]); return 2; }
    double seconds = atof(argv[2]);
    unsigned char *wb[4096], *xml[4096];
    long wbl[4096], xmll[4096], wbytes = 0, xbytes = 0;
    int n = 0;
    char path[4096];
    for (; n < 4096; n++) {
        snprintf(path, sizeof path, "%s/%04d.wbxml", argv[1], n);
        if (!(wb[n] = load(path, &wbl[n]))) break;
        snprintf(path, sizeof path, "%s/%04d.xml", argv[1], n);
        if (!(xml[n] = load(path, &xmll[n]))) break;
        wbytes += wbl[n];
        xbytes += xmll[n];
    }
    printf("corpus %s: %d messages, %ld WBXML bytes, %ld XML bytes\n", argv[1], n, wbytes, xbytes);

    long ops = 0, failures = 0;
    double t0 = now(), t;
    do {
        for (int i = 0; i < n; i++) {
            WBXMLConvWBXML2XML *conv = NULL;
            WB_UTINY *out = NULL;
            WB_ULONG outl = 0;
            wbxml_conv_wbxml2xml_create(&conv);
            wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
            if (wbxml_conv_wbxml2xml_run(conv, wb[i], wbl[i], &out, &outl) != WBXML_OK) failures++;
            wbxml_conv_wbxml2xml_destroy(conv);
            free(out);
        }
        ops++;
    } while ((t = now()) - t0 < seconds);
    printf("wbxml2xml: %.1f corpus/s, %.0f messages/s, %.2f MB/s of WBXML in (failures %ld)\n", ops / (t - t0),
           ops * n / (t - t0), ops * wbytes / (t - t0) / 1e6, failures);

    ops = 0; failures = 0;
    t0 = now();
    do {
        for (int i = 0; i < n; i++) {
            WBXMLConvXML2WBXML *conv = NULL;
            WB_UTINY *out = NULL;
            WB_ULONG outl = 0;
            wbxml_conv_xml2wbxml_create(&conv);
            wbxml_conv_xml2wbxml_disable_string_table(conv);
            if (wbxml_conv_xml2wbxml_run(conv, xml[i], xmll[i], &out, &outl) != WBXML_OK) failures++;
            wbxml_conv_xml2wbxml_destroy(conv);
            free(out);
        }
        ops++;
    } while ((t = now()) - t0 < seconds);
    printf("xml2wbxml: %.1f corpus/s, %.0f messages/s, %.2f MB/s of XML in (failures %ld)\n", ops / (t - t0),
           ops * n / (t - t0), ops * xbytes / (t - t0) / 1e6, failures);
    return 0;
}
