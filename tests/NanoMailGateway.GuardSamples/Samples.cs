// Samples for the runtime guard (tests/NanoMailGateway.Tests/Guard). Each "Bad..." type
// holds exactly one construct the nanoFramework 1.x runtime cannot run; each "Clean..."
// type holds constructs that it can run and that the guard must therefore leave alone.
// The guard tests find findings by these type names: rename both sides together.

using System;
using System.Collections;
using System.Threading;

namespace NanoMailGateway.GuardSamples
{
    /// <summary>A generic class definition.</summary>
    public class BadGenericClass<T>
    {
        public T? Value;
    }

    /// <summary>A generic method definition.</summary>
    public static class BadGenericMethod
    {
        public static object? Identity<TItem>(TItem item) => item;
    }

    /// <summary>A call of a generic method (a MethodSpec), with no generic definition of its own.</summary>
    public static class BadGenericMethodCall
    {
        public static object? Call() => BadGenericMethod.Identity(5);
    }

    /// <summary>A generic interface definition.</summary>
    public interface IBadGenericInterface<T>
    {
        T Get();
    }

    /// <summary>A generic delegate definition.</summary>
    public delegate int BadGenericDelegate<T>(T value);

    /// <summary>Implements an instantiated generic interface (an InterfaceImpl TypeSpec).</summary>
    public class BadInterfaceImplementation : IBadGenericInterface<int>
    {
        public int Get() => 1;
    }

    /// <summary>Derives from an instantiated generic class (a base-type TypeSpec).</summary>
    public class BadGenericBase : BadGenericClass<int>
    {
    }

    /// <summary>A field of a generic delegate type from nanoFramework's mscorlib.</summary>
    public class BadGenericField
    {
        public Func<int, int>? Square;
    }

    /// <summary>A generic delegate only inside a method body (a local and a lambda).</summary>
    public static class BadGenericLocal
    {
        public static int Run(int x)
        {
            int seen = 0;
            Action<int> a = v => seen = v;
            a(x);
            return seen;
        }
    }

    /// <summary>A generic instantiation only in a parameter of a method signature.</summary>
    public static class BadGenericParameter
    {
        public static void Invoke(Action<int> a) => a(1);
    }

    /// <summary>A lambda in a var: its natural type is Func&lt;int,int&gt; (C# 10), with no generic in sight.</summary>
    public static class BadNaturalLambdaType
    {
        public static int Run()
        {
            var inc = (int y) => y + 1;
            return inc(1);
        }
    }

    /// <summary>A multi-dimensional array field and its creation.</summary>
    public class BadMultiDimensionalArray
    {
        public int[,] Grid = new int[2, 3];
    }

    /// <summary>A pointer parameter in an unsafe method.</summary>
    public static unsafe class BadPointer
    {
        public static int Read(int* p) => *p;
    }

    /// <summary>A fixed statement: a pinned local.</summary>
    public static unsafe class BadFixed
    {
        public static byte First(byte[] data)
        {
            fixed (byte* p = data)
            {
                return p[0];
            }
        }
    }

    /// <summary>stackalloc into a pointer (the localloc opcode).</summary>
    public static unsafe class BadStackalloc
    {
        public static int Sum()
        {
            int* p = stackalloc int[4];
            p[0] = 1;
            return p[0];
        }
    }

    /// <summary>A function pointer.</summary>
    public static unsafe class BadFunctionPointer
    {
        public static int Twice(int x) => 2 * x;

        public static int Call(int x)
        {
            delegate*<int, int> f = &Twice;
            return f(x);
        }
    }

    /// <summary>A generic attribute (C# 11).</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class BadGenericAttribute<T> : Attribute
    {
    }

    /// <summary>Carries an instantiated generic attribute (the constructor is a member of a TypeSpec).</summary>
    [BadGenericAttribute<int>]
    public class BadGenericAttributeUser
    {
    }

    /// <summary>A sized string array: its slots are typed empty strings on the device, not null.</summary>
    public static class BadStringArray
    {
        public static string[] Make(int n) => new string[n];
    }

    /// <summary>A sized string array that a loop fills before any read: still not StringArray.New.</summary>
    public static class BadStringArrayFilledByLoop
    {
        public static string[] Copy(string[] from)
        {
            string[] to = new string[from.Length];
            for (int i = 0; i < to.Length; i++) to[i] = from[i];
            return to;
        }
    }

    /// <summary>A null in an initializer: the compiler stores nothing for it, so slot 0 keeps what newarr made.</summary>
    public static class BadStringArrayNullElement
    {
        public static string?[] Make(string last) => new string?[] { null, last };
    }

    /// <summary>An empty string array: no slot to read, but it too must come from StringArray.New.</summary>
    public static class BadEmptyStringArray
    {
        public static string[] Make() => new string[0];
    }

    /// <summary>Non-generic delegate used by the clean sample.</summary>
    public delegate int CleanCallback(int value);

    /// <summary>Overflow-checked arithmetic: the interpreter ignores the check.</summary>
    public static class BadCheckedArithmetic
    {
        public static byte Narrow(int x) => checked((byte)x);
    }

    /// <summary>A keyword table built at boot: the array and its bytes hold heap for the whole run on the device.</summary>
    public static class BadStaticTable
    {
        public static readonly byte[] Keyword = Bytes("HELO");

        public static int Length() => Keyword.Length;

        private static byte[] Bytes(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++) b[i] = (byte)s[i];
            return b;
        }
    }

    /// <summary>A static object made at boot.</summary>
    public sealed class BadStaticInstance
    {
        public static readonly BadStaticInstance Shared = new BadStaticInstance();
    }

    /// <summary>A static method group passed as a delegate: the compiler caches the delegate for the whole run.</summary>
    public static class BadCachedDelegate
    {
        public static System.Threading.Timer Start() => new System.Threading.Timer(Tick, null, 1000, 1000);

        private static void Tick(object? state)
        {
            try { } catch (System.Exception) { }
        }
    }

    /// <summary>The same delegate made where it is used: garbage once the timer is gone.</summary>
    public static class CleanExplicitDelegate
    {
        public static System.Threading.Timer Start() => new System.Threading.Timer(new System.Threading.TimerCallback(Tick), null, 1000, 1000);

        private static void Tick(object? state)
        {
            try { } catch (System.Exception) { }
        }
    }

    /// <summary>Constants and a static primitive: nothing is made at boot (a static constructor that only stores a number is fine).</summary>
    public static class CleanStaticConstants
    {
        public const string Keyword = "HELO";
        public static int Counter = 3;

        public static int Length() => Keyword.Length + Counter;
    }

    /// <summary>A thread whose method catches nothing: on the device it would die silently.</summary>
    public sealed class BadThreadEntry
    {
        private int _n;

        public Thread Start()
        {
            var t = new Thread(Loop);
            t.Start();
            return t;
        }

        private void Loop()
        {
            while (_n < 10) _n = 100 / (10 - _n);
        }
    }

    /// <summary>A timer callback that catches nothing.</summary>
    public static class BadTimerEntry
    {
        public static Timer Start() => new Timer(Tick, null, 10, 10);

        private static void Tick(object? state) => throw new InvalidOperationException("tick");
    }

    /// <summary>Thread and timer entry points that catch what escapes, as a method group and as a lambda.</summary>
    public sealed class CleanThreadEntries
    {
        public int Failures;

        public Thread Start()
        {
            var t = new Thread(Loop);
            t.Start();
            var u = new Thread(() =>
            {
                try { Loop(); }
                catch (Exception) { Failures++; }
            });
            u.Start();
            return t;
        }

        private void Loop()
        {
            try
            {
                Failures += 100 / Failures;
            }
            catch (Exception)
            {
                Failures++;
            }
        }
    }

    /// <summary>What Core does every day, and what the compiler lowers without generics
    /// against nanoFramework's mscorlib: arrays, jagged arrays, collection expressions,
    /// ArrayList, foreach, closures over non-generic delegates, local functions, string
    /// interpolation, string switch, ref/out, lock, structs.</summary>
    public class CleanSample
    {
        private readonly object _gate = new object();
        private readonly ArrayList _items = new ArrayList();
        private readonly byte[][] _buffers = new byte[][] { new byte[4], new byte[8] };

        public int Total(int bonus, out int count)
        {
            int sum = 0;
            count = 0;
            lock (_gate)
            {
                foreach (byte[] b in _buffers)
                {
                    sum += b.Length;
                    count++;
                }
            }
            CleanCallback add = v => v + bonus + sum;
            _items.Add("n=" + count.ToString());
            return add(_items.Count);
        }

        public static void Swap(ref CleanPoint a, ref CleanPoint b)
        {
            CleanPoint t = a;
            a = b;
            b = t;
        }

        public string Describe(int code) => code switch
        {
            1 => "one",
            2 => "two",
            _ => "many " + code.ToString(),
        };

        private readonly byte[] Literal = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

        public int Lowered(string? word, ArrayList list)
        {
            int[] pair = [Literal[0], Literal.Length];
            int total = 0;
            foreach (object o in list) total += o.GetHashCode();
            int Add(int y) => y + total;
            string text = $"n={total} w={word}";
            int tag = word switch { "alpha" => 1, "beta" => 2, "gamma" => 3, "delta" => 4, "epsilon" => 5, "zeta" => 6, "eta" => 7, _ => 0 };
            return Add(pair[1]) + text.Length + tag;
        }
    }

    /// <summary>String arrays whose every slot the compiler stores at once: initializers
    /// (a field's, a local's, with computed and conditional elements), a collection
    /// expression, params arguments and a concatenation of more than four strings, which
    /// the compiler passes to String.Concat as an array.</summary>
    public static class CleanStringArrays
    {
        public static string Pick(string? word, int n, CleanPoint p)
        {
            string[] Days = { "Sun", "Mon", "Tue" };
            string[] local = { word ?? "none", n > 0 ? "positive" : "other", Days[n & 1], n.ToString() };
            string[] expression = [word ?? "", Describe(p, local), local[0]];
            string[] nested = { string.Concat(new string[] { "a", word ?? "", "b", local[1], "c" }), Join(Days[0], Days[1]) };
            return "n=" + n.ToString() + " w=" + word + " x=" + p.X.ToString() + " y=" + (p.Y > 0 ? "up" : "down") + expression[1] + nested[0];
        }

        private static string Describe(CleanPoint p, string[] names) => names[p.X % names.Length];

        private static string Join(params string[] parts) => parts[0] + parts[1];
    }

    /// <summary>A plain struct.</summary>
    public struct CleanPoint
    {
        public int X;
        public int Y;
    }
}
