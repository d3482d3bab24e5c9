/*
 * Unit tests for proc-server's name index (name_index.c), the registry of a
 * scope's containers by ID: finding, removing, growing past many entries,
 * and an empty or freed index answering nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "name_index.h"

#define MANY 1000

static char names[MANY][16];
static name_node_t nodes[MANY];

static void add_many(name_index_t *index, int count)
{
    for (int i = 0; i < count; i++) {
        snprintf(names[i], sizeof(names[i]), "idle-%d", i);
        nodes[i] = (name_node_t){NULL, names[i]};
        assert_int_equal(name_index_add(index, &nodes[i]), 0);
    }
}

static void test_empty_index_finds_nothing(void **state)
{
    (void)state;
    name_index_t index = {0};
    assert_null(name_index_find(&index, "a"));
    name_node_t node = {NULL, "a"};
    name_index_remove(&index, &node); /* not in it: nothing happens */
    assert_int_equal(index.count, 0);
    name_index_free(&index);
}

static void test_add_find_remove(void **state)
{
    (void)state;
    name_index_t index = {0};
    name_node_t a = {NULL, "web"}, b = {NULL, "web2"}, c = {NULL, "db"};
    assert_int_equal(name_index_add(&index, &a), 0);
    assert_int_equal(name_index_add(&index, &b), 0);
    assert_int_equal(name_index_add(&index, &c), 0);
    assert_int_equal(index.count, 3);
    assert_ptr_equal(name_index_find(&index, "web"), &a);
    assert_ptr_equal(name_index_find(&index, "web2"), &b);
    assert_ptr_equal(name_index_find(&index, "db"), &c);
    assert_null(name_index_find(&index, "we"));
    assert_null(name_index_find(&index, ""));

    name_index_remove(&index, &a);
    assert_null(name_index_find(&index, "web"));
    assert_ptr_equal(name_index_find(&index, "web2"), &b);
    assert_int_equal(index.count, 2);
    name_index_remove(&index, &a); /* a second time: nothing happens */
    assert_int_equal(index.count, 2);

    /* a node of the same name, added again */
    assert_int_equal(name_index_add(&index, &a), 0);
    assert_ptr_equal(name_index_find(&index, "web"), &a);
    name_index_free(&index);
    assert_null(index.buckets);
    assert_int_equal(index.count, 0);
    assert_null(name_index_find(&index, "db"));
}

static void test_grows_and_keeps_every_name(void **state)
{
    (void)state;
    name_index_t index = {0};
    add_many(&index, MANY);
    assert_int_equal(index.count, MANY);
    assert_true(index.size >= MANY); /* doubled as it filled */
    for (int i = 0; i < MANY; i++) {
        assert_ptr_equal(name_index_find(&index, names[i]), &nodes[i]);
    }
    for (int i = 0; i < MANY; i += 2) {
        name_index_remove(&index, &nodes[i]);
    }
    assert_int_equal(index.count, MANY / 2);
    for (int i = 0; i < MANY; i++) {
        assert_ptr_equal(name_index_find(&index, names[i]), i % 2 ? &nodes[i] : NULL);
    }
    name_index_free(&index);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_index_finds_nothing),
        cmocka_unit_test(test_add_find_remove),
        cmocka_unit_test(test_grows_and_keeps_every_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
