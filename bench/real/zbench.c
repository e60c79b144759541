/* zlib benchmark driver (ours; links against zlib built from Debian's source package).
 *
 *   zbench gen OUT MIB      write MIB MiB of deterministic, moderately compressible data to OUT
 *   zbench run IN OUT       deflate IN to OUT (level 6, streamed in 64 KiB chunks), then inflate
 *                           OUT again and check it against IN; print sizes and checksums
 *
 * The data mixes words from a small vocabulary, runs of numbers and some noise, so deflate finds
 * matches at many distances and the Huffman coder sees a realistic symbol mix. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 65536

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static int generate(const char *path, long mib)
{
    static const char *const words[] = {
        "the", "walic", "compiler", "module", "memory", "page", "signal", "thread", "kernel",
        "table", "function", "import", "export", "value", "stack", "linear", "native", "trap",
        "syscall", "buffer", "file", "descriptor", "process", "wasm", "section", "code",
    };
    FILE *out = fopen(path, "wb");
    if (!out) {
        perror(path);
        return 1;
    }
    uint64_t state = 2024;
    long target = mib << 20, written = 0;
    char line[256];
    while (written < target) {
        uint64_t r = next_random(&state);
        int n = 0;
        switch (r % 4) {
        case 0:
        case 1:
            for (int w = 0; w < 8; w++) {
                uint64_t pick = next_random(&state);
                size_t index = (size_t)((pick >> 8) % 26);
                if (pick % 3 == 0)
                    index %= 6;
                n += snprintf(line + n, sizeof line - (size_t)n, "%s ", words[index]);
            }
            break;
        case 2:
            n = snprintf(line, sizeof line, "%llu,%llu,%llu ",
                         (unsigned long long)(r >> 40), (unsigned long long)((r >> 20) & 0xFFFF),
                         (unsigned long long)(r & 0x3FF));
            break;
        default:
            for (int i = 0; i < 24; i++)
                line[n++] = (char)(33 + next_random(&state) % 94);
            break;
        }
        line[n++] = '\n';
        fwrite(line, 1, (size_t)n, out);
        written += n;
    }
    fclose(out);
    return 0;
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        perror(path);
        exit(1);
    }
    size_t capacity = 1 << 20, used = 0;
    unsigned char *data = malloc(capacity);
    size_t got;
    while (data && (got = fread(data + used, 1, capacity - used, in)) > 0) {
        used += got;
        if (used == capacity)
            data = realloc(data, capacity *= 2);
    }
    fclose(in);
    if (!data) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    *size = used;
    return data;
}

static int run(const char *input_path, const char *output_path)
{
    size_t size;
    unsigned char *input = read_file(input_path, &size);
    FILE *out = fopen(output_path, "wb");
    if (!out) {
        perror(output_path);
        return 1;
    }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (deflateInit(&stream, 6) != Z_OK)
        return 1;
    unsigned char *chunk = malloc(CHUNK);
    size_t offset = 0, compressed = 0;
    int flush;
    do {
        size_t take = size - offset < CHUNK ? size - offset : CHUNK;
        stream.next_in = input + offset;
        stream.avail_in = (uInt)take;
        offset += take;
        flush = offset == size ? Z_FINISH : Z_NO_FLUSH;
        do {
            stream.next_out = chunk;
            stream.avail_out = CHUNK;
            deflate(&stream, flush);
            size_t have = CHUNK - stream.avail_out;
            fwrite(chunk, 1, have, out);
            compressed += have;
        } while (stream.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&stream);
    fclose(out);

    size_t packed_size;
    unsigned char *packed = read_file(output_path, &packed_size);
    unsigned char *restored = malloc(size + 1);
    memset(&stream, 0, sizeof stream);
    if (inflateInit(&stream) != Z_OK)
        return 1;
    stream.next_in = packed;
    stream.avail_in = (uInt)packed_size;
    stream.next_out = restored;
    stream.avail_out = (uInt)size + 1;
    int status = inflate(&stream, Z_FINISH);
    size_t restored_size = stream.total_out;
    inflateEnd(&stream);
    int same = status == Z_STREAM_END && restored_size == size && memcmp(input, restored, size) == 0;

    printf("zlib %s input=%lu compressed=%lu crc32=%08lx adler32=%08lx roundtrip=%s\n",
           zlibVersion(), (unsigned long)size, (unsigned long)compressed,
           (unsigned long)crc32(0, input, (uInt)size), (unsigned long)adler32(1, packed, (uInt)packed_size),
           same ? "ok" : "MISMATCH");
    fflush(stdout);
    free(input);
    free(packed);
    free(restored);
    free(chunk);
    return same ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "gen") == 0)
        return generate(argv[2], strtol(argv[3], 0, 10));
    if (argc == 4 && strcmp(argv[1], "run") == 0)
        return run(argv[2], argv[3]);
    fprintf(stderr, "usage: zbench gen OUT MIB | zbench run IN OUT\n");
    return 2;
}
