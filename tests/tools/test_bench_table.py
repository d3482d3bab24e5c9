#!/usr/bin/env python3
"""tools/bench_table.py: the side-by-side rows, ratios, targets and freshness."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import bench_table  # noqa: E402


def ns(median):
    return {"median": median, "min": median, "max": median, "unit": "ns", "iterations": 1}


class SideBySide(unittest.TestCase):
    def test_ratio_per_row_both_run(self):
        rows = bench_table.side_by_side({"cmp_getpid": ns(300)}, {"cmp_getpid": ns(100)})
        self.assertEqual(rows, [("cmp_getpid", "getpid", 300, 100, 3.0)])

    def test_row_of_one_system_has_no_ratio(self):
        rows = bench_table.side_by_side({}, {"cmp_stat": ns(5)})
        self.assertEqual(rows, [("cmp_stat", "stat", None, 5, None)])

    def test_scale_and_capsule_only_rows_follow_with_their_unit(self):
        count = {"median": 490, "min": 490, "max": 490, "unit": "containers", "iterations": 1}
        capsule = {"container_idle_count": count, "cmp_stat": ns(10),
                   "container_idle_bytes": dict(count, median=11723, unit="bytes")}
        linux = {"cmp_stat": ns(20), "container_idle_count": dict(count, median=980)}
        rows = bench_table.side_by_side(capsule, linux)
        self.assertEqual([r[0] for r in rows],
                         ["cmp_stat", "container_idle_count", "container_idle_bytes"])
        self.assertEqual(rows[1], ("container_idle_count", "idle containers that fit", 490,
                                   980, 0.5))
        self.assertEqual(rows[2][3:], (None, None))

    def test_cycles_are_not_compared(self):
        cycles = {"median": 9, "min": 9, "max": 9, "unit": "cycles", "iterations": 1}
        self.assertEqual(bench_table.side_by_side({"cmp_stat": cycles}, {}), [])

    def test_ratio_of_cycles_when_both_have_them(self):
        capsule = dict(ns(300), cycles={"median": 800, "min": 1, "max": 1})
        linux = dict(ns(100), cycles={"median": 400, "min": 1, "max": 1})
        rows = bench_table.side_by_side({"cmp_stat": capsule}, {"cmp_stat": linux})
        self.assertEqual(rows, [("cmp_stat", "stat", 300, 100, 2.0)])  # not 3.0
        rows = bench_table.side_by_side({"cmp_stat": capsule}, {"cmp_stat": ns(100)})
        self.assertEqual(rows[0][4], 3.0)  # one side without cycles: the ns

    def test_zero_denominator(self):
        self.assertIsNone(bench_table.ratio(5, 0))
        self.assertEqual(bench_table.over_linux({"cmp_stat": ns(5)}, {"cmp_stat": ns(0)}), {})


class Targets(unittest.TestCase):
    def test_met_missed_and_not_measured(self):
        capsule = {"cmp_container_start": ns(40), "cmp_spawn_wait": ns(20),
                   "cmp_getpid": ns(250)}
        linux = {"cmp_container_start": ns(100), "cmp_getpid": ns(100)}
        found = {text: (r, met) for text, r, _, met in bench_table.targets(capsule, linux)}
        self.assertEqual(found["container start <= 0.5 x Linux's"], (0.4, True))
        self.assertEqual(found["container start <= 1.5 x Capsule's plain spawn"], (2.0, False))
        self.assertEqual(found["getpid <= 2 x Linux's"], (2.5, False))
        self.assertEqual(found["pipe round trip <= 1 x Linux's"], (None, None))
        lines = bench_table.format_targets(capsule, linux)
        self.assertIn("getpid <= 2 x Linux's: MISSED (2.50, limit 2.0)", lines)
        self.assertIn("pipe round trip <= 1 x Linux's: not measured", lines)


class Format(unittest.TestCase):
    def test_human(self):
        self.assertEqual(bench_table.human(950, "ns"), "950 ns")
        self.assertEqual(bench_table.human(12_500, "ns"), "12.5 µs")
        self.assertEqual(bench_table.human(3_210_000, "ns"), "3.21 ms")
        self.assertEqual(bench_table.human(7_440_000_000, "ns"), "7.44 s")
        self.assertEqual(bench_table.human(11723, "bytes"), "11,723")
        self.assertEqual(bench_table.human(None, "ns"), "—")

    def test_table_line(self):
        lines = bench_table.format_table({"cmp_getpid": ns(300)}, {"cmp_getpid": ns(100)})
        self.assertEqual(lines[2], "| `cmp_getpid` | getpid | 300 ns | 100 ns | 3.00 |")


class Fresh(unittest.TestCase):
    def full(self, accel="tcg"):
        return {"accel": accel, "results": {name: ns(1) for name, _ in bench_table.BOTH}}

    def test_fresh(self):
        self.assertTrue(bench_table.is_fresh((self.full(), 200.0), 100.0, "tcg"))

    def test_older_than_images(self):
        self.assertFalse(bench_table.is_fresh((self.full(), 50.0), 100.0, "tcg"))

    def test_other_accelerator(self):
        self.assertFalse(bench_table.is_fresh((self.full("kvm"), 200.0), 100.0, "tcg"))

    def test_rows_missing(self):
        data = self.full()
        del data["results"]["cmp_getpid"]
        self.assertFalse(bench_table.is_fresh((data, 200.0), 100.0, "tcg"))


if __name__ == "__main__":
    unittest.main()
