// Assemblies the bytecode budget tests emit at run time with PersistedAssemblyBuilder
// (System.Reflection.Emit, .NET 9+) into a temp folder: small ones whose IL is known
// instruction by instruction, to pin the counting rules, and one far over both budgets, to
// show the check failing. Left out: running them, and nanoFramework's mscorlib (they
// reference the host's core library, which BytecodeBudget never resolves).

using System;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;

namespace NanoMailGateway.Tests.Guard
{
    public sealed class BudgetSamples : IDisposable
    {
        /// <summary>Namespace and name of the one type every sample holds.</summary>
        public const string TypeName = "Sample.Code";

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "nmg-budget-" + Guid.NewGuid().ToString("N"));

        public BudgetSamples() { Directory.CreateDirectory(_dir); }

        public void Dispose()
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, true);
        }

        /// <summary>Saves an assembly whose type <see cref="TypeName"/> gets its members from <paramref name="define"/>; returns its path.</summary>
        public string Emit(string assemblyName, Action<TypeBuilder> define)
        {
            var assembly = new PersistedAssemblyBuilder(new AssemblyName(assemblyName), typeof(object).Assembly);
            ModuleBuilder module = assembly.DefineDynamicModule(assemblyName);
            TypeBuilder type = module.DefineType(TypeName, TypeAttributes.Public | TypeAttributes.Class);
            define(type);
            type.CreateType();
            string path = Path.Combine(_dir, assemblyName + ".dll");
            assembly.Save(path);
            return path;
        }

        /// <summary>A public static void method without parameters; its body is what <paramref name="body"/> emits, then ret.</summary>
        public static MethodBuilder Method(TypeBuilder type, string name, Action<ILGenerator> body)
        {
            MethodBuilder m = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes);
            ILGenerator il = m.GetILGenerator();
            body(il);
            il.Emit(OpCodes.Ret);
            return m;
        }

        /// <summary>Emits <paramref name="count"/> times ldc.i4 + pop: 6 bytes of IL and of bytecode each.</summary>
        public static void Constants(ILGenerator il, int count)
        {
            for (int i = 0; i < count; i++)
            {
                il.Emit(OpCodes.Ldc_I4, 0x12345678 + i);
                il.Emit(OpCodes.Pop);
            }
        }

        /// <summary>Emits ldstr + pop for each string: 6 bytes of IL, 4 of bytecode each.</summary>
        public static void Strings(ILGenerator il, params string[] strings)
        {
            foreach (string s in strings)
            {
                il.Emit(OpCodes.Ldstr, s);
                il.Emit(OpCodes.Pop);
            }
        }

        /// <summary>
        /// An assembly over both budgets: methods Big0 to Big5 of 2000 + 100 x i constant
        /// loads each (12,001 to 15,001 bytes of bytecode, 81,006 in all) and a method Names
        /// that loads 1500 distinct 40-character strings (61,500 bytes of string table).
        /// </summary>
        public string EmitOversized()
        {
            return Emit("Oversized", type =>
            {
                for (int i = 0; i < 6; i++)
                {
                    int count = 2000 + 100 * i;
                    Method(type, "Big" + i, il => Constants(il, count));
                }
                var names = new string[1500];
                for (int i = 0; i < names.Length; i++) names[i] = "string table filler " + i.ToString("D20");
                Method(type, "Names", il => Strings(il, names));
            });
        }
    }
}
