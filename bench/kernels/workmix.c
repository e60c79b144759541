/* A mixed integer workload in the spirit of embedded-processor suites (written from scratch for
 * walic): linked-list search, reversal and merge sort; small integer matrix arithmetic; a
 * character-class state machine scanning number-like tokens; and CRC-16 over all intermediate
 * results. Size: number of iterations. */
#include <string.h>
#include "common.h"

typedef struct item {
    struct item *next;
    int16_t key;
    int16_t data;
} item;

static uint16_t crc16_byte(uint16_t crc, uint8_t byte)
{
    crc ^= byte;
    for (int i = 0; i < 8; i++)
        crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
    return crc;
}

static uint16_t crc16_word(uint16_t crc, uint32_t word)
{
    for (int i = 0; i < 4; i++)
        crc = crc16_byte(crc, (uint8_t)(word >> (8 * i)));
    return crc;
}

static item *reverse(item *list)
{
    item *prev = 0;
    while (list) {
        item *next = list->next;
        list->next = prev;
        prev = list;
        list = next;
    }
    return prev;
}

static int compare_items(const item *a, const item *b, int by_data)
{
    return by_data ? a->data - b->data : a->key - b->key;
}

/* Bottom-up merge sort of a singly linked list. */
static item *merge_sort(item *list, int by_data)
{
    for (long width = 1;; width *= 2) {
        item *result = 0, **tail = &result, *p = list;
        long merges = 0;
        while (p) {
            merges++;
            item *q = p;
            long psize = 0, qsize = width;
            while (psize < width && q) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                item *take;
                if (psize == 0) {
                    take = q; q = q->next; qsize--;
                } else if (qsize == 0 || !q || compare_items(p, q, by_data) <= 0) {
                    take = p; p = p->next; psize--;
                } else {
                    take = q; q = q->next; qsize--;
                }
                *tail = take;
                tail = &take->next;
            }
            p = q;
        }
        *tail = 0;
        list = result;
        if (merges <= 1)
            return list;
    }
}

static uint16_t list_work(item *nodes, int count, uint32_t seed, uint16_t crc)
{
    item *list = 0;
    for (int i = count - 1; i >= 0; i--) {
        nodes[i].key = (int16_t)i;
        nodes[i].data = (int16_t)((seed * (uint32_t)(i + 1) * 2654435761u) >> 20);
        nodes[i].next = list;
        list = &nodes[i];
    }
    for (int s = 0; s < 8; s++) {
        int16_t wanted = (int16_t)((seed + (uint32_t)s * 37) % (uint32_t)count);
        int position = 0;
        item *p = list;
        while (p && p->key != wanted) {
            p = p->next;
            position++;
        }
        crc = crc16_word(crc, (uint32_t)position);
        list = reverse(list);
    }
    list = merge_sort(list, 1);
    for (item *p = list; p; p = p->next)
        crc = crc16_word(crc, (uint16_t)p->data);
    list = merge_sort(list, 0);
    crc = crc16_word(crc, (uint16_t)list->data);
    return crc;
}

#define DIM 24

static uint16_t matrix_work(int32_t a[DIM][DIM], int32_t b[DIM][DIM], int32_t c[DIM][DIM],
                            uint32_t seed, uint16_t crc)
{
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            a[i][j] = (int32_t)((seed + (uint32_t)(i * DIM + j) * 2246822519u) >> 24) - 128;
            b[i][j] = (int32_t)((seed ^ (uint32_t)(j * DIM + i) * 3266489917u) >> 25) - 64;
        }
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++)
            a[i][j] += (int32_t)seed & 7;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            int32_t sum = 0;
            for (int k = 0; k < DIM; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    int32_t total = 0, maximum = INT32_MIN;
    for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) {
            int32_t v = (c[i][j] >> 2) & 0xFFF;
            total += v;
            if (c[i][j] > maximum)
                maximum = c[i][j];
        }
    crc = crc16_word(crc, (uint32_t)total);
    return crc16_word(crc, (uint32_t)maximum);
}

enum state { START, INTEGER, SIGNED, DECIMAL, EXPONENT, EXP_SIGN, SCIENTIFIC, INVALID, STATES };

static uint16_t state_work(char *text, size_t length, uint32_t seed, uint16_t crc)
{
    static const char alphabet[] = "0123456789+-.eE,x 5173";
    for (size_t i = 0; i < length; i++) {
        seed = seed * 1664525u + 1013904223u;
        text[i] = alphabet[(seed >> 24) % (sizeof alphabet - 1)];
    }
    uint32_t finals[STATES] = { 0 }, transitions = 0;
    enum state s = START;
    for (size_t i = 0; i < length; i++) {
        char ch = text[i];
        if (ch == ',' || ch == ' ') {
            finals[s]++;
            s = START;
            continue;
        }
        enum state next = s;
        int digit = ch >= '0' && ch <= '9';
        switch (s) {
        case START:
            next = digit ? INTEGER : (ch == '+' || ch == '-') ? SIGNED : ch == '.' ? DECIMAL : INVALID;
            break;
        case SIGNED:
            next = digit ? INTEGER : ch == '.' ? DECIMAL : INVALID;
            break;
        case INTEGER:
            next = digit ? INTEGER : ch == '.' ? DECIMAL : (ch == 'e' || ch == 'E') ? EXPONENT : INVALID;
            break;
        case DECIMAL:
            next = digit ? DECIMAL : (ch == 'e' || ch == 'E') ? EXPONENT : INVALID;
            break;
        case EXPONENT:
            next = digit ? SCIENTIFIC : (ch == '+' || ch == '-') ? EXP_SIGN : INVALID;
            break;
        case EXP_SIGN:
            next = digit ? SCIENTIFIC : INVALID;
            break;
        case SCIENTIFIC:
            next = digit ? SCIENTIFIC : INVALID;
            break;
        default:
            break;
        }
        if (next != s)
            transitions++;
        s = next;
    }
    for (int i = 0; i < STATES; i++)
        crc = crc16_word(crc, finals[i]);
    return crc16_word(crc, transitions);
}

int main(int argc, char **argv)
{
    long iterations = bench_size(argc, argv, 20000);
    enum { LIST = 400, TEXT = 2048 };
    item *nodes = malloc(sizeof(item) * LIST);
    char *text = malloc(TEXT);
    static int32_t a[DIM][DIM], b[DIM][DIM], c[DIM][DIM];
    if (!nodes || !text)
        return 1;
    uint16_t crc_list = 0, crc_matrix = 0, crc_state = 0, crc = 0xFFFF;
    for (long i = 0; i < iterations; i++) {
        uint32_t seed = (uint32_t)i * 2654435761u + 12345u;
        crc_list = list_work(nodes, LIST, seed, crc_list);
        crc_matrix = matrix_work(a, b, c, seed, crc_matrix);
        crc_state = state_work(text, TEXT, seed, crc_state);
        crc = crc16_word(crc, (uint32_t)crc_list << 16 | crc_matrix);
        crc = crc16_word(crc, crc_state);
    }
    printf("workmix iterations=%ld list=%04x matrix=%04x state=%04x total=%04x\n", iterations,
           crc_list, crc_matrix, crc_state, crc);
    free(nodes);
    free(text);
    return bench_finish();
}
