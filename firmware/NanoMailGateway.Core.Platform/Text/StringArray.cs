// String arrays whose empty slots are really null. On the nanoFramework 1.x interpreter
// the elements of `new string[n]` are not null: each is a typed empty string slot, so
// `a[i] == null` is false, `a[i] == "x"` crashes the runtime and `a[i].Length` throws
// NullReferenceException. Array.Clear leaves such slots as they were, and a null in an
// array initializer (`{ null, "a" }`) does too, because the compiler stores nothing for
// an element that is null. Only an explicit store `a[i] = null` makes a real null. Other
// arrays of references (object[], byte[][], arrays of classes) start with real nulls.
//
// So every string array in firmware/ is made in one of two ways, with no exception for
// arrays that are filled before anyone reads them, nor for length 0:
//   - StringArray.New(n): every slot holds a real null (NewTable for rows of them);
//   - an initializer that lists every element, none of them a literal null
//     (`string[] days = { "Sun", "Mon" };`): the compiler stores each element.
// Emptying slots for reuse is StringArray.Clear, never Array.Clear. The runtime guard
// (tests/NanoMailGateway.Tests/Guard/StringArrayRule.cs) checks the compiled assemblies
// for any other way of making one.

namespace NanoMailGateway.Core.Text
{
    /// <summary>Makes and clears string arrays so that an empty slot is a real null on the device too.</summary>
    public static class StringArray
    {
        /// <summary>
        /// A new array of <paramref name="length"/> slots (0 allowed), each one stored null.
        /// Typed string[] like <c>new string[n]</c>: the slots are null until the caller fills them.
        /// </summary>
        public static string[] New(int length)
        {
            string[] a = new string[length];
            Clear(a, 0, length);
            return a;
        }

        /// <summary>
        /// <paramref name="rows"/> arrays of <paramref name="width"/> null slots each. The outer
        /// array holds arrays, whose fresh slots the interpreter does make null; each row comes from <see cref="New"/>.
        /// </summary>
        public static string[][] NewTable(int rows, int width)
        {
            string[][] table = new string[rows][];
            for (int i = 0; i < rows; i++) table[i] = New(width);
            return table;
        }

        /// <summary>Stores null into <paramref name="count"/> slots from <paramref name="index"/>; Array.Clear does not make them null on the device.</summary>
        /// <exception cref="System.ArgumentOutOfRangeException">the range is not inside <paramref name="a"/> (nothing is cleared).</exception>
        public static void Clear(string?[] a, int index, int count)
        {
            if (index < 0 || count < 0 || index > a.Length - count) throw new System.ArgumentOutOfRangeException("index");
            for (int i = index; i < index + count; i++) a[i] = null;
        }
    }
}
