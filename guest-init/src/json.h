/* A small JSON reader for /.krunbox/config.json: a DOM of objects, arrays, strings,
 * numbers and literals, with the byte offset of the first error. */
#ifndef KRUNBOX_JSON_H
#define KRUNBOX_JSON_H

#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
    enum jtype type;
    double num;          /* J_NUM, J_BOOL (0/1) */
    char *str;           /* J_STR: NUL-terminated UTF-8 */
    size_t len;          /* J_ARR / J_OBJ: number of items */
    struct jval **items; /* J_ARR / J_OBJ */
    char **keys;         /* J_OBJ */
};

/* Parses text; on failure returns NULL and fills err (with the byte offset). */
struct jval *json_parse(const char *text, size_t n, char *err, size_t errlen);
const struct jval *json_get(const struct jval *obj, const char *key);

/* Frees a parsed value and everything in it. */
void json_free(struct jval *v);

/* A whole number within [min, max] (a boolean counts as 0 or 1); -1 when v is anything else. */
int json_int(const struct jval *v, long long min, long long max, long long *out);

#endif
