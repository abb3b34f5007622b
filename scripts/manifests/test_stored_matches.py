"""The read-back comparison finds a pruned, changed or shortened field, and accepts additions."""
import unittest

from stored_matches import differences


class StoredMatchesTests(unittest.TestCase):
    def test_server_additions_are_fine(self):
        sent = {"spec": {"ttl": 5, "env": [{"name": "a", "value": "1"}]}}
        stored = {"spec": {"ttl": 5, "env": [{"name": "a", "value": "1"}], "defaulted": True}, "status": {}}
        self.assertEqual(differences(sent, stored), [])

    def test_losses(self):
        cases = [
            ("pruned", {"spec": {"x": 1}}, {"spec": {}}, "PRUNED"),
            ("changed", {"spec": {"x": 1}}, {"spec": {"x": 2}}, "stored 2"),
            ("emptied object", {"spec": {"v": {"k": "1"}}}, {"spec": {"v": {}}}, "PRUNED"),
            ("shortened list", {"spec": {"l": [1, 2]}}, {"spec": {"l": [1]}}, "2 items"),
        ]
        for what, sent, stored, word in cases:
            with self.subTest(what):
                found = differences(sent, stored)
                self.assertTrue(any(word in f for f in found), found)


if __name__ == "__main__":
    unittest.main()
