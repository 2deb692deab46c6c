// The bytecode and string-table budget (README, "Assemblies and the device build"):
// every device assembly, as built in the tests' configuration, stays within 48 KB of
// nanoFramework bytecode and 48 KB of string table. The counting rules are pinned on
// emitted samples of known IL, and an emitted assembly far over both budgets shows the
// check failing. Both configurations are checked: the test project builds the device
// assemblies in Release too (NanoMailGateway.Tests.csproj, BuildDeviceAssembliesInRelease).
// Left out: running the metadata processor itself (it is not on this project's feed).

using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public sealed class BytecodeBudgetTests : IDisposable
    {
        private static readonly Lazy<RuntimeStrings> BuiltIn = new(() => RuntimeStrings.FromMscorlib(BuildOutput.NanoMscorlib()));

        /// <summary>Bytecode of the constructor every emitted sample type gets: ldarg.0 (1), call (3), ret (1).</summary>
        private const int DefaultConstructor = 5;

        private readonly BudgetSamples _samples = new();

        public void Dispose() => _samples.Dispose();

        public static TheoryData<string, string> DeviceAssemblies()
        {
            var data = new TheoryData<string, string>();
            foreach (string configuration in new[] { "Debug", "Release" })
            {
                foreach (string name in BuildOutput.DeviceAssemblyNames()) data.Add(configuration, name);
            }
            return data;
        }

        [Theory]
        [MemberData(nameof(DeviceAssemblies))]
        public void DeviceAssemblyIsWithinTheBudget(string configuration, string assembly)
        {
            string path = BuildOutput.AllDeviceAssemblies(configuration).Single(p => Path.GetFileNameWithoutExtension(p) == assembly);
            Assert.True(File.Exists(path), path + " was not built (the test project builds the device assemblies in Debug and Release)");
            BytecodeBudget b = BytecodeBudget.Measure(path, BuiltIn.Value);
            // Guards the guard: an assembly that measures as empty was not really read.
            Assert.Equal(assembly, b.AssemblyName);
            Assert.True(b.Bytecode > 1000 && b.StringTable > 1000 && b.Methods.Count > 10, assembly + " measures almost nothing");
            string? over = b.OverBudget();
            Assert.True(over == null, over);
        }

        [Fact]
        public void AnAssemblyOverBothBudgetsFailsNamingBothFiguresAndItsLargestMethods()
        {
            BytecodeBudget b = BytecodeBudget.Measure(_samples.EmitOversized(), RuntimeStrings.None);
            // Big0..Big5: (2000 + 100 i) x 6 bytes + ret; Names: 1500 x (ldstr 3 + pop 1) + ret;
            // the default constructor the emitter adds: ldarg.0, call (3), ret.
            Assert.Equal(81006 + 6001 + DefaultConstructor, b.Bytecode);
            Assert.InRange(b.StringTable, 1500 * 41, 1500 * 41 + 200);
            string? over = b.OverBudget();
            Assert.NotNull(over);
            Assert.StartsWith("Oversized: bytecode and string table over budget:", over);
            Assert.Contains("bytecode " + b.Bytecode + " B", over);
            Assert.Contains("string table " + b.StringTable + " B", over);
            Assert.Contains("budget 49152 B", over);
            Assert.EndsWith("Largest methods: Sample.Code.Big5 (15001 B), Sample.Code.Big4 (14401 B), Sample.Code.Big3 (13801 B), "
                + "Sample.Code.Big2 (13201 B), Sample.Code.Big1 (12601 B).", over);
        }

        [Fact]
        public void EitherFigureAloneIsEnoughToFail()
        {
            BytecodeBudget code = BytecodeBudget.Measure(_samples.Emit("CodeOnly", t =>
            {
                for (int i = 0; i < 9; i++) BudgetSamples.Method(t, "M" + i, il => BudgetSamples.Constants(il, 1000));
            }), RuntimeStrings.None);
            Assert.Equal(9 * 6001 + DefaultConstructor, code.Bytecode);
            Assert.StartsWith("CodeOnly: bytecode over budget:", code.OverBudget());

            var names = Enumerable.Range(0, 1300).Select(i => "string table filler " + i.ToString("D20")).ToArray();
            BytecodeBudget strings = BytecodeBudget.Measure(_samples.Emit("StringsOnly", t => BudgetSamples.Method(t, "Names", il => BudgetSamples.Strings(il, names))), RuntimeStrings.None);
            Assert.True(strings.Bytecode < BytecodeBudget.BudgetBytes);
            Assert.StartsWith("StringsOnly: string table over budget:", strings.OverBudget());
        }

        [Theory]
        // 3 x (ldstr 2-byte token + pop) + 2 x (call 2-byte token) + ret; IL: 3 x 6 + 2 x 5 + 1.
        [InlineData("LoadsAndCalls", 3 * 4 + 2 * 3 + 1, 29)]
        [InlineData("Target", 1, 1)]
        // ldc.i4 5, ldc.i4.s 2, ldc.i8 9, ldc.r4 5, ldc.r8 9 (as in IL); ldsfld 3 (token);
        // ldtoken 5 (MDP keeps a 4-byte token); 7 pops; ret. IL: 5+2+9+5+9+5+5 + 7 + 1.
        [InlineData("Operands", 5 + 2 + 9 + 5 + 9 + 3 + 5 + 7 + 1, 48)]
        // br.s 2; br 3 (2-byte offset); ldc.i4.0 1; switch with 3 targets 1 + 1 + 3 x 2; ret.
        // IL: 2 + 5 + 1 + (1 + 4 + 3 x 4) + 1.
        [InlineData("Branches", 2 + 3 + 1 + 8 + 1, 26)]
        // ldloc.s 2, ldloc 4 (as in IL), 2 pops, ret.
        [InlineData("Locals", 9, 9)]
        // nop, leave (3), pop, leave (3), ret = 9; one handler: 12 bytes + the count byte.
        // IL: 1 + 5 + 1 + 5 + 1.
        [InlineData("TryCatch", 9 + 13, 13)]
        [InlineData(".ctor", DefaultConstructor, 7)]
        public void CountsEachInstructionAsTheMetadataProcessorEncodesIt(string method, int bytecode, int ilBytes)
        {
            MethodBytecode m = PinnedSample().Methods.Single(x => x.Name == BudgetSamples.TypeName + "." + method);
            Assert.Equal(ilBytes, m.IlBytes);
            Assert.Equal(bytecode, m.Bytecode);
        }

        [Fact]
        public void AnExceptionTableIsTwelveBytesAHandlerAndACount()
        {
            Assert.Equal(0, BytecodeBudget.ExceptionTableBytes(0));
            Assert.Equal(13, BytecodeBudget.ExceptionTableBytes(1));
            Assert.Equal(37, BytecodeBudget.ExceptionTableBytes(3));
        }

        [Fact]
        public void TheAssemblyBytecodeIsTheSumOfItsMethodsAndTheFiveLargestComeFirst()
        {
            BytecodeBudget b = PinnedSample();
            Assert.Equal(b.Methods.Sum(m => m.Bytecode), b.Bytecode);
            Assert.Equal(b.Methods.Sum(m => m.IlBytes), b.IlBytes);
            Assert.Equal(BytecodeBudget.LargestCount, b.Largest.Count());
            Assert.Equal(b.Methods.OrderByDescending(m => m.Bytecode).Select(m => m.Bytecode).Take(5), b.Largest.Select(m => m.Bytecode));
            Assert.Null(b.OverBudget());
        }

        [Fact]
        public void StringsCountOnceInUtf8WithTheirNul()
        {
            int before = StringsSample("StringsA").StringTable;
            // "alpha" 6, again 0, "beta" 5, "Loads" is the method's own name 0, "grüße" 7 + 1.
            int after = StringsSample("StringsB", "alpha", "alpha", "beta", "Loads", "gr\u00fc\u00dfe").StringTable;
            Assert.Equal(6 + 5 + 8, after - before);
        }

        [Fact]
        public void AttributeStringsCount()
        {
            int plain = BytecodeBudget.Measure(_samples.Emit("AttrA", t => BudgetSamples.Method(t, "Marked", il => { })), RuntimeStrings.None).StringTable;
            int marked = BytecodeBudget.Measure(_samples.Emit("AttrB", t =>
            {
                MethodBuilder m = BudgetSamples.Method(t, "Marked", il => { });
                ConstructorInfo ctor = typeof(ObsoleteAttribute).GetConstructor(new[] { typeof(string) })!;
                m.SetCustomAttribute(new CustomAttributeBuilder(ctor, new object[] { "retired in v2" }));
            }), RuntimeStrings.None).StringTable;
            // The message (13 + 1) and the attribute's type name (17 + 1); "System" and ".ctor" are there already.
            Assert.Equal(14 + 18, marked - plain);
        }

        [Fact]
        public void TheRuntimesOwnStringsTakeNoRoom()
        {
            RuntimeStrings builtIn = BuiltIn.Value;
            Assert.True(builtIn.Count > 300, "only " + builtIn.Count + " built-in strings found in mscorlib");
            foreach (string s in new[] { ".ctor", ".cctor", "System", "Object", "ToString", "mscorlib" }) Assert.True(builtIn.Contains(s), s);
            Assert.False(builtIn.Contains("NanoMailGateway.Core.Platform"));
            Assert.False(builtIn.Contains(""));

            string path = StringsSamplePath("BuiltIn", "ToString", "GetHashCode");
            int all = BytecodeBudget.Measure(path, RuntimeStrings.None).StringTable;
            int stored = BytecodeBudget.Measure(path, builtIn).StringTable;
            // ToString 9, GetHashCode 12, and the names every sample has: .ctor 6, System 7, Object 7.
            Assert.Equal(9 + 12 + 6 + 7 + 7, all - stored);
        }

        private BytecodeBudget StringsSample(string name, params string[] strings) =>
            BytecodeBudget.Measure(StringsSamplePath(name, strings), RuntimeStrings.None);

        private string StringsSamplePath(string name, params string[] strings) =>
            _samples.Emit(name, t => BudgetSamples.Method(t, "Loads", il => BudgetSamples.Strings(il, strings)));

        private BytecodeBudget PinnedSample()
        {
            return BytecodeBudget.Measure(_samples.Emit("Pinned", t =>
            {
                FieldBuilder field = t.DefineField("Counter", typeof(int), FieldAttributes.Public | FieldAttributes.Static);
                MethodBuilder target = BudgetSamples.Method(t, "Target", il => { });
                BudgetSamples.Method(t, "LoadsAndCalls", il =>
                {
                    BudgetSamples.Strings(il, "a", "b", "c");
                    il.Emit(OpCodes.Call, target);
                    il.Emit(OpCodes.Call, target);
                });
                BudgetSamples.Method(t, "Operands", il =>
                {
                    il.Emit(OpCodes.Ldc_I4, 1000);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldc_I4_S, (sbyte)7);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldc_I8, 1L << 40);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldc_R4, 1.5f);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldc_R8, 2.5);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldsfld, field);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldtoken, typeof(string));
                    il.Emit(OpCodes.Pop);
                });
                BudgetSamples.Method(t, "Branches", il =>
                {
                    Label near = il.DefineLabel(), far = il.DefineLabel(), end = il.DefineLabel();
                    il.Emit(OpCodes.Br_S, near);
                    il.MarkLabel(near);
                    il.Emit(OpCodes.Br, far);
                    il.MarkLabel(far);
                    il.Emit(OpCodes.Ldc_I4_0);
                    il.Emit(OpCodes.Switch, new[] { end, end, end });
                    il.MarkLabel(end);
                });
                BudgetSamples.Method(t, "Locals", il =>
                {
                    il.DeclareLocal(typeof(int));
                    il.Emit(OpCodes.Ldloc_S, (byte)0);
                    il.Emit(OpCodes.Pop);
                    il.Emit(OpCodes.Ldloc, (short)0);
                    il.Emit(OpCodes.Pop);
                });
                BudgetSamples.Method(t, "TryCatch", il =>
                {
                    il.BeginExceptionBlock();
                    il.Emit(OpCodes.Nop);
                    il.BeginCatchBlock(typeof(Exception));
                    il.Emit(OpCodes.Pop);
                    il.EndExceptionBlock();
                });
            }), RuntimeStrings.None);
        }
    }
}
