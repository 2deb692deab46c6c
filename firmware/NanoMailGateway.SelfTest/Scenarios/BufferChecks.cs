// Scenario: the fixed buffer pool (ARCHITECTURE.md, Memory): it never grows, an empty pool
// refuses instead of allocating, a set is all-or-nothing, and foreign or double returns
// are bugs that throw.

using NanoMailGateway.Core.Buffers;

namespace NanoMailGateway.SelfTest
{
    /// <summary>Buffer pool checks.</summary>
    public static class BufferChecks
    {
        /// <summary>Registers and runs the checks.</summary>
        public static void Run(SelfTestRunner r)
        {
            r.Run("buffers.pool-never-grows", new Check(PoolNeverGrows));
            r.Run("buffers.set-all-or-nothing", new Check(SetAllOrNothing));
            r.Run("buffers.foreign-and-double-return", new Check(ForeignAndDoubleReturn));
        }

        private static void PoolNeverGrows()
        {
            BufferPool pool = new BufferPool("st", 64, 2);
            byte[]? a = pool.TryRent();
            byte[]? b = pool.TryRent();
            Expect.NotNull(a, "first rent");
            Expect.NotNull(b, "second rent");
            Expect.Null(pool.TryRent(), "third rent from a pool of 2");
            Expect.Equal(1, pool.Refusals, "refusals");
            Expect.Equal(2, pool.Capacity, "capacity after a refusal");
            Expect.Equal(128, pool.TotalBytes, "pool bytes");
            pool.Return(a!);
            byte[]? c = pool.TryRent();
            Expect.True(ReferenceEquals(a, c), "a returned buffer is handed out again, not a new one");
            pool.Return(b!);
            pool.Return(c!);
            Expect.Equal(0, pool.InUse, "in use after all returned");
            Expect.Equal(2, pool.HighWaterMark, "high-water mark");
        }

        private static void SetAllOrNothing()
        {
            BufferPool pool = new BufferPool("st", 32, 3);
            byte[]? one = pool.TryRent();
            Expect.Null(pool.TryRentSet(3), "set of 3 with 2 free");
            Expect.Equal(1, pool.InUse, "a refused set rents nothing");
            byte[][]? set = pool.TryRentSet(2);
            Expect.NotNull(set, "set of 2 with 2 free");
            Expect.Equal(3, pool.InUse, "in use");
            pool.ReturnSet(set!);
            pool.Return(one!);
            Expect.Equal(0, pool.InUse, "in use after returns");
        }

        private static void ForeignAndDoubleReturn()
        {
            BufferPool pool = new BufferPool("st", 16, 1);
            bool threw = false;
            try { pool.Return(new byte[16]); }
            catch (System.InvalidOperationException) { threw = true; }
            Expect.True(threw, "returning a foreign buffer must throw");
            byte[]? a = pool.TryRent();
            pool.Return(a!);
            threw = false;
            try { pool.Return(a!); }
            catch (System.InvalidOperationException) { threw = true; }
            Expect.True(threw, "returning a buffer twice must throw");
            Expect.Equal(1, pool.Capacity, "capacity");
        }
    }
}
