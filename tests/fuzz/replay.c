/*
 * replay.c - run a fuzz harness over files without libFuzzer: `make check`
 * replays every saved input in tests/fuzz/regressions/<harness>/ through the
 * harness built with the ordinary compiler (and under make asan, with the
 * sanitizers), so a crash once found stays fixed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        uint8_t *data = NULL;
        size_t size = 0, cap = 0, n;
        uint8_t buf[65536];
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            if (size + n > cap) {
                cap = 2 * (size + n);
                uint8_t *grown = realloc(data, cap);
                if (!grown)
                    return 3;
                data = grown;
            }
            for (size_t k = 0; k < n; k++)
                data[size + k] = buf[k];
            size += n;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", size);
        free(data);
    }
    printf("replayed %d input%s\n", argc - 1, argc == 2 ? "" : "s");
    return 0;
}
