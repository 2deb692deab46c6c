// One self-test check: a method that returns when the check holds and throws otherwise
// (CheckFailedException from Expect, or whatever the code under test threw). A plain
// delegate of our own: Action<T> and friends are generic and the 1.x runtime cannot run
// generic instantiations.

namespace NanoMailGateway.SelfTest
{
    /// <summary>A check body.</summary>
    public delegate void Check();
}
