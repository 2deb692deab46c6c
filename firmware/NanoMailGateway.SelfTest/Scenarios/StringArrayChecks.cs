// Scenario: string arrays made with StringArray (Core/Text) have real null slots on the
// board. The nanoFramework 1.x interpreter leaves the slots of a string array it makes as
// typed empty strings: comparing one with a string crashes the runtime and asking its
// Length throws, so on a board without the fix these checks stop the run (the point).
// They compare, clear and reuse slots the way the gateway's key tables do (DnsCache,
// DeadDestinations, the POP3 mailbox locks): free slot = null, key compared with ==.

using NanoMailGateway.Core.Text;

namespace NanoMailGateway.SelfTest
{
    /// <summary>StringArray checks.</summary>
    public static class StringArrayChecks
    {
        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("text.string-array-slots-null", new Check(SlotsNull));
            r.Run("text.string-array-compare-null-slot", new Check(CompareNullSlot));
            r.Run("text.string-array-clear-and-reuse", new Check(ClearAndReuse));
            r.Run("text.string-array-clear-range-checked", new Check(ClearRangeChecked));
            r.Run("text.string-array-key-table", new Check(KeyTable));
            r.Run("text.string-array-initializer", new Check(Initializer));
        }

        private static void SlotsNull()
        {
            string[] a = StringArray.New(3);
            Expect.Equal(3, a.Length, "length");
            for (int i = 0; i < a.Length; i++)
            {
                Expect.True(a[i] == null, "slot " + i.ToString() + " == null after New");
                Expect.Null(a[i], "slot " + i.ToString());
            }
            Expect.Equal(0, StringArray.New(0).Length, "an empty array");
            string[][] table = StringArray.NewTable(2, 3);
            Expect.Equal(2, table.Length, "table rows");
            for (int r = 0; r < table.Length; r++)
            {
                Expect.Equal(3, table[r].Length, "row width");
                for (int i = 0; i < 3; i++) Expect.True(table[r][i] == null, "table slot " + r.ToString() + "," + i.ToString() + " == null");
            }
        }

        private static void CompareNullSlot()
        {
            string?[] a = StringArray.New(2);
            string probe = "mx.example.org";
            Expect.True(!(a[0] == probe), "a null slot is not equal to a string");
            Expect.True(a[0] != probe, "a null slot differs from a string");
            Expect.True(!(probe == a[1]), "a string is not equal to a null slot");
            Expect.True(!string.Equals(a[1], probe), "string.Equals with a null slot");
            Expect.True(a[0] == a[1], "two null slots are equal");
            string? s = a[0];
            Expect.Equal(-1, s == null ? -1 : s.Length, "a null slot has no length to ask");
        }

        private static void ClearAndReuse()
        {
            string?[] a = StringArray.New(4);
            a[0] = "alpha";
            a[1] = "beta";
            a[2] = "gamma";
            a[3] = "delta";
            StringArray.Clear(a, 1, 2);
            Expect.Equal("alpha", a[0], "slot before the cleared range");
            Expect.True(a[1] == null && a[2] == null, "cleared slots are null");
            Expect.True(a[1] != "beta" && a[2] != "gamma", "a cleared slot no longer matches its old key");
            Expect.Equal("delta", a[3], "slot after the cleared range");
            a[2] = "epsilon";
            Expect.Equal("epsilon", a[2], "a cleared slot takes a new key");
            Expect.True(a[2] == "epsilon" && a[1] == null, "compare after reuse");
            StringArray.Clear(a, 0, a.Length);
            for (int i = 0; i < a.Length; i++) Expect.True(a[i] == null, "slot " + i.ToString() + " after clearing all");
        }

        private static void ClearRangeChecked()
        {
            string?[] a = StringArray.New(2);
            a[0] = "kept";
            a[1] = "kept too";
            bool threw = false;
            try { StringArray.Clear(a, 1, 2); }
            catch (System.ArgumentOutOfRangeException) { threw = true; }
            Expect.True(threw, "a range past the end must throw");
            Expect.Equal("kept", a[0], "slot 0 untouched");
            Expect.Equal("kept too", a[1], "slot 1 untouched: nothing is cleared when the range is bad");
        }

        private static void KeyTable()
        {
            // A bounded table of keys as DnsCache keeps it: find, insert into a free slot,
            // free a slot by storing null, and refuse when full.
            string?[] keys = StringArray.New(3);
            Expect.Equal(-1, Find(keys, "example.org"), "empty table");
            Expect.Equal(0, Insert(keys, "example.org"), "first key");
            Expect.Equal(1, Insert(keys, "example.net"), "second key");
            Expect.Equal(0, Insert(keys, "example.org"), "same key, same slot");
            Expect.Equal(2, Insert(keys, "example.com"), "third key");
            Expect.Equal(-1, Insert(keys, "example.edu"), "full");
            keys[1] = null;
            Expect.Equal(-1, Find(keys, "example.net"), "a freed key is gone");
            Expect.Equal(1, Insert(keys, "example.edu"), "the freed slot is reused");
            Expect.Equal(2, Find(keys, "example.com"), "others stay");
            Expect.Equal(-1, Find(StringArray.New(0), "example.org"), "a table of no entries");
        }

        private static void Initializer()
        {
            // Listing every element stores every slot: no helper needed, none of them null.
            string host = "gw.example.org";
            string[] a = { host, "localhost" };
            Expect.Equal(2, a.Length, "length");
            Expect.True(a[0] == host && a[1] == "localhost", "listed elements");
        }

        private static int Find(string?[] keys, string key)
        {
            for (int i = 0; i < keys.Length; i++)
            {
                string? k = keys[i];
                if (k != null && k == key) return i;
            }
            return -1;
        }

        private static int Insert(string?[] keys, string key)
        {
            int found = Find(keys, key);
            if (found >= 0) return found;
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] == null)
                {
                    keys[i] = key;
                    return i;
                }
            }
            return -1;
        }
    }
}
