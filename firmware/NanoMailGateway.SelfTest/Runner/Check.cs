// One self-test check: a method that returns when the check holds and throws otherwise
// (CheckFailedException from Expect, or whatever the code under test threw). A plain
// delegate of our own: Action<T> and friends are generic and the 1.x runtime cannot run
// generic instantiations. Scenarios pass `new Check(Method)`, not the bare method group:
// the C# compiler caches a delegate made from a static method group in a static field of
// its own for the rest of the run, which on nanoCLR is about 36 bytes of heap per check
// held from its first use to the end (ARCHITECTURE.md, Memory).

namespace NanoMailGateway.SelfTest
{
    /// <summary>A check body.</summary>
    public delegate void Check();
}
