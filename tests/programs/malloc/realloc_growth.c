// realloc growth: a buffer doubled from 1 byte to 64 MiB keeps its contents; growth by small steps
// (as a string builder does), shrinking, realloc(NULL, n), and many buffers growing at once.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    size_t size = 1;
    unsigned char *buffer = malloc(size);
    buffer[0] = 0x5a;
    size_t wrong = 0;
    while (size < ((size_t)64 << 20)) {
        size_t bigger = size * 2;
        buffer = realloc(buffer, bigger);
        if (!buffer) {
            printf("realloc to %zu failed\n", bigger);
            return 1;
        }
        for (size_t i = 0; i < size; i++)
            wrong += buffer[i] != (unsigned char)(i == 0 ? 0x5a : (i * 7) ^ (i >> 9));
        for (size_t i = size; i < bigger; i++)
            buffer[i] = (unsigned char)((i * 7) ^ (i >> 9));
        size = bigger;
    }
    printf("doubling to %zu bytes: %zu wrong bytes\n", size, wrong);
    buffer = realloc(buffer, 100);
    wrong = 0;
    for (size_t i = 1; i < 100; i++)
        wrong += buffer[i] != (unsigned char)((i * 7) ^ (i >> 9));
    printf("shrunk to 100: %zu wrong bytes\n", wrong);
    free(buffer);

    char *text = NULL;
    size_t length = 0;
    for (int i = 0; i < 20000; i++) {
        char piece[16];
        int n = snprintf(piece, sizeof piece, "%d,", i);
        text = realloc(text, length + (size_t)n + 1);
        memcpy(text + length, piece, (size_t)n + 1);
        length += (size_t)n;
    }
    unsigned long hash = 5381;
    for (size_t i = 0; i < length; i++)
        hash = hash * 33 + (unsigned char)text[i];
    printf("string builder: %zu bytes, hash %lu, tail %s\n", length, hash, text + length - 12);
    free(text);

    enum { COUNT = 64 };
    uint32_t *arrays[COUNT] = {0};
    size_t lengths[COUNT] = {0};
    for (int round = 0; round < 200; round++)
        for (int k = 0; k < COUNT; k++) {
            size_t grown = lengths[k] + (size_t)(k % 7 + 1) * 3;
            arrays[k] = realloc(arrays[k], grown * sizeof *arrays[k]);
            for (size_t i = lengths[k]; i < grown; i++)
                arrays[k][i] = (uint32_t)(k * 100000 + i);
            lengths[k] = grown;
        }
    wrong = 0;
    size_t elements = 0;
    for (int k = 0; k < COUNT; k++) {
        for (size_t i = 0; i < lengths[k]; i++)
            wrong += arrays[k][i] != (uint32_t)(k * 100000 + i);
        elements += lengths[k];
        free(arrays[k]);
    }
    printf("%d interleaved growing arrays: %zu elements, %zu wrong\n", COUNT, elements, wrong);
    void *fresh = realloc(NULL, 33);
    printf("realloc(NULL, 33): %s\n", fresh ? "allocated" : "NULL");
    free(fresh);
    return 0;
}
