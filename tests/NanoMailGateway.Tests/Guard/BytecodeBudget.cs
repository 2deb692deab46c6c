// The bytecode and string-table budget of one device assembly (README, "Assemblies and
// the device build"; ARCHITECTURE.md, Device rules). nanoFramework's metadata processor (MDP, v3.0.100 for 1.x)
// turns each assembly into a .pe whose bytecode table and string table are addressed
// with 16-bit offsets, so neither can pass 65,535 bytes ("Byte code table overflow");
// the budget is 48 KB of each, in Debug and in Release, to leave room to grow.
//
// Both figures are estimates read from the compiled assembly with
// System.Reflection.Metadata, made so that they are never below what MDP writes:
//
// Bytecode (as MDP's byte-code table writer emits it): the table is
// the bodies of the methods one after the other, with no header and no alignment (the
// method header, locals count and stack depth sit in the MethodDef table). A body is its
// IL instructions re-encoded, then its exception handler table:
//   - opcodes as in IL (1 or 2 bytes);
//   - field, method, type and string tokens: 2 bytes instead of 4;
//   - ldtoken (InlineTok): 4 bytes, as in IL (MDP writes a table tag and an index);
//   - calli's signature (InlineSig): counted as 2 bytes (v3.0.100 writes none);
//   - long branches (br, leave, beq, ...): a 2-byte offset instead of 4;
//   - switch: a 1-byte count and a 2-byte offset per target instead of 4 + 4 per target;
//   - short branches, ldarg.s/ldloc.s, ldc.i4.s: 1 byte; ldarg/ldloc: 2; ldc.i4, ldc.r4:
//     4; ldc.i8, ldc.r8: 8 (as in IL);
//   - exception handlers, if the body has any: 12 bytes each (kind, class token or
//     filter offset, try start and end, handler start and end; 2 bytes each) and a
//     1-byte count.
// Every method with a body counts but those of RefSafetyRulesAttribute, which MDP never
// converts; its "minimize" pass, which drops types nothing uses, can only lower the real
// figure. Against MDP v3.0.100 on every device assembly, Debug and Release, and on the
// pinned samples of BytecodeBudgetTests, the estimate was exact.
//
// String table (MDP's string table and the tables that fill it): every
// distinct string once, UTF-8 with a terminating NUL, the empty string first. Counted:
// the assembly's name, the names of the assemblies it references, namespace and name of
// every type it references or defines, the name of every member it references, of every
// method and of every field but constants (which are compiled away), each ldstr literal,
// the strings inside custom attributes on types, methods and fields (string arguments,
// named-argument names, typeof arguments as Namespace.Outer/Inner), and embedded resource
// file names (as .nanoresources). MDP stores none of the strings the runtime holds in its
// built-in table; those that RuntimeStrings finds are left out, the others count. Strings
// that MDP's "minimize" drops with unused references count too (the names of attributes
// MDP ignores, such as AttributeUsage and DebuggerBrowsable), so the estimate stays an
// upper bound: 1 to 12 % above MDP's figure on the device assemblies.
//
// Left out: the other tables of a .pe (signatures, type and member tables, resources),
// which have no 64 KB bound of their own worth a budget, and <Module>, which MDP does not
// convert. Enums of other assemblies in attribute arguments are read as int, which every
// enum of nanoFramework's mscorlib is.

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>The budget figures of one assembly. Immutable.</summary>
    public sealed class BytecodeBudget
    {
        /// <summary>Most bytecode, and most string table, a device assembly may have: 48 KB.</summary>
        public const int BudgetBytes = 48 * 1024;

        /// <summary>
        /// The type the compiler embeds for C# 11's ref safety rules and applies to the module
        /// alone; MDP always excludes it (one of its default types to exclude).
        /// </summary>
        private const string NeverConverted = "System.Runtime.CompilerServices.RefSafetyRulesAttribute";

        /// <summary>How many of the largest methods a report names.</summary>
        public const int LargestCount = 5;

        private BytecodeBudget(string path, string assemblyName, List<MethodBytecode> methods, int stringTable)
        {
            Path = path;
            AssemblyName = assemblyName;
            Methods = methods.OrderByDescending(m => m.Bytecode).ThenBy(m => m.Name, StringComparer.Ordinal).ToArray();
            Bytecode = methods.Sum(m => m.Bytecode);
            IlBytes = methods.Sum(m => m.IlBytes);
            StringTable = stringTable;
        }

        public string Path { get; }

        public string AssemblyName { get; }

        /// <summary>Estimated bytecode table, bytes (never below MDP's).</summary>
        public int Bytecode { get; }

        /// <summary>IL code bytes of all method bodies.</summary>
        public int IlBytes { get; }

        /// <summary>Estimated string table, bytes (never below MDP's).</summary>
        public int StringTable { get; }

        /// <summary>Every method with a body, largest bytecode first.</summary>
        public IReadOnlyList<MethodBytecode> Methods { get; }

        /// <summary>The <see cref="LargestCount"/> methods with the most bytecode.</summary>
        public IEnumerable<MethodBytecode> Largest => Methods.Take(LargestCount);

        /// <summary>Null when both figures are within <see cref="BudgetBytes"/>; else what is over and where the bytecode is.</summary>
        public string? OverBudget()
        {
            if (Bytecode <= BudgetBytes && StringTable <= BudgetBytes) return null;
            string what = Bytecode > BudgetBytes && StringTable > BudgetBytes ? "bytecode and string table"
                : Bytecode > BudgetBytes ? "bytecode" : "string table";
            return AssemblyName + ": " + what + " over budget: bytecode " + Bytecode + " B, string table " + StringTable
                + " B, budget " + BudgetBytes + " B each (" + Path + "). Largest methods: " + string.Join(", ", Largest) + ".";
        }

        /// <summary>
        /// Reads the assembly at <paramref name="path"/>; strings in <paramref name="builtIn"/>
        /// (the runtime's own table, see RuntimeStrings) take no room in its string table.
        /// </summary>
        public static BytecodeBudget Measure(string path, RuntimeStrings builtIn)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            var strings = new StringTableEstimate(builtIn);
            var methods = new List<MethodBytecode>();
            strings.Add(md.GetString(md.GetAssemblyDefinition().Name));
            foreach (AssemblyReferenceHandle h in md.AssemblyReferences) strings.Add(md.GetString(md.GetAssemblyReference(h).Name));
            foreach (TypeReferenceHandle h in md.TypeReferences)
            {
                TypeReference r = md.GetTypeReference(h);
                strings.Add(md.GetString(r.Namespace));
                strings.Add(md.GetString(r.Name));
            }
            foreach (MemberReferenceHandle h in md.MemberReferences) strings.Add(md.GetString(md.GetMemberReference(h).Name));
            foreach (ManifestResourceHandle h in md.ManifestResources)
            {
                ManifestResource r = md.GetManifestResource(h);
                if (r.Implementation.IsNil) strings.Add(System.IO.Path.ChangeExtension(md.GetString(r.Name), ".nanoresources"));
            }
            var attributes = new AttributeStrings(md);
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition t = md.GetTypeDefinition(th);
                if (IsModuleType(md, t)) continue;
                string typeName = MetadataNames.TypeName(md, th);
                if (typeName == NeverConverted) continue;
                strings.Add(md.GetString(t.Namespace));
                strings.Add(md.GetString(t.Name));
                attributes.AddAll(t.GetCustomAttributes(), strings);
                foreach (FieldDefinitionHandle fh in t.GetFields())
                {
                    FieldDefinition f = md.GetFieldDefinition(fh);
                    if (!f.GetDefaultValue().IsNil) continue;
                    strings.Add(md.GetString(f.Name));
                    attributes.AddAll(f.GetCustomAttributes(), strings);
                }
                foreach (MethodDefinitionHandle mh in t.GetMethods())
                {
                    MethodDefinition m = md.GetMethodDefinition(mh);
                    strings.Add(md.GetString(m.Name));
                    attributes.AddAll(m.GetCustomAttributes(), strings);
                    if (m.RelativeVirtualAddress == 0) continue;
                    MethodBodyBlock body = pe.GetMethodBody(m.RelativeVirtualAddress);
                    methods.Add(MeasureBody(md, typeName + "." + md.GetString(m.Name), body, strings));
                }
            }
            return new BytecodeBudget(path, md.GetString(md.GetAssemblyDefinition().Name), methods, strings.Bytes);
        }

        /// <summary>Bytes of one instruction in nanoFramework bytecode (see the file header).</summary>
        public static int NanoBytes(IlInstruction ins)
        {
            int opCodeBytes = ins.OpCode.Size;
            switch (ins.OpCode.OperandType)
            {
                case OperandType.InlineBrTarget:
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineString:
                case OperandType.InlineType:
                case OperandType.InlineSig:
                    return opCodeBytes + 2;
                case OperandType.InlineSwitch:
                    return opCodeBytes + 1 + 2 * ins.SwitchTargets.Length;
                default:
                    return opCodeBytes + ins.OperandBytes;
            }
        }

        /// <summary>Bytes of a body's exception handler table with <paramref name="clauses"/> clauses.</summary>
        public static int ExceptionTableBytes(int clauses) => clauses == 0 ? 0 : 12 * clauses + 1;

        private static MethodBytecode MeasureBody(MetadataReader md, string name, MethodBodyBlock body, StringTableEstimate strings)
        {
            BlobReader il = body.GetILReader();
            int ilBytes = il.Length;
            int bytecode = ExceptionTableBytes(body.ExceptionRegions.Length);
            foreach (IlInstruction ins in IlInstruction.Decode(il))
            {
                bytecode += NanoBytes(ins);
                if (ins.OpCode.OperandType == OperandType.InlineString)
                {
                    strings.Add(md.GetUserString(MetadataTokens.UserStringHandle(ins.Operand & 0xFFFFFF)));
                }
            }
            return new MethodBytecode(name, bytecode, ilBytes);
        }

        private static bool IsModuleType(MetadataReader md, TypeDefinition t) =>
            t.GetDeclaringType().IsNil && md.GetString(t.Namespace).Length == 0 && md.GetString(t.Name) == "<Module>";

        /// <summary>
        /// Distinct strings and their UTF-8 bytes with NUL; starts with the empty string, as
        /// MDP's table does; the runtime's built-in strings take nothing.
        /// </summary>
        private sealed class StringTableEstimate
        {
            private readonly HashSet<string> _seen = new(StringComparer.Ordinal) { "" };
            private readonly RuntimeStrings _builtIn;

            public StringTableEstimate(RuntimeStrings builtIn) { _builtIn = builtIn; }

            public int Bytes { get; private set; } = 1;

            public void Add(string s)
            {
                if (!_builtIn.Contains(s) && _seen.Add(s)) Bytes += Encoding.UTF8.GetByteCount(s) + 1;
            }

            /// <summary>Bytes that may hold strings but could not be read as such (an undecodable attribute blob).</summary>
            public void AddOpaque(int bytes) => Bytes += bytes;
        }

        /// <summary>
        /// The strings MDP keeps from custom attributes: string arguments, named-argument
        /// names and typeof arguments. A blob it cannot decode counts whole: no string in it
        /// can take more bytes (with its NUL) than it does in the blob (with its length prefix).
        /// </summary>
        private sealed class AttributeStrings : ICustomAttributeTypeProvider<string>
        {
            private const string SystemType = "System.Type";
            private readonly MetadataReader _md;

            public AttributeStrings(MetadataReader md) { _md = md; }

            public void AddAll(CustomAttributeHandleCollection handles, StringTableEstimate strings)
            {
                foreach (CustomAttributeHandle h in handles)
                {
                    CustomAttribute a = _md.GetCustomAttribute(h);
                    CustomAttributeValue<string> value;
                    try
                    {
                        value = a.DecodeValue(this);
                    }
                    catch (Exception e) when (e is BadImageFormatException || e is NotSupportedException || e is InvalidOperationException)
                    {
                        strings.AddOpaque(_md.GetBlobReader(a.Value).Length);
                        continue;
                    }
                    foreach (CustomAttributeTypedArgument<string> arg in value.FixedArguments) AddArgument(arg.Type, arg.Value, strings);
                    foreach (CustomAttributeNamedArgument<string> arg in value.NamedArguments)
                    {
                        if (arg.Name != null) strings.Add(arg.Name);
                        AddArgument(arg.Type, arg.Value, strings);
                    }
                }
            }

            private static void AddArgument(string type, object? value, StringTableEstimate strings)
            {
                if (value is string s)
                {
                    // typeof(X) is serialized as an assembly-qualified name; MDP keeps Namespace.Outer/Inner.
                    if (type == SystemType) s = CecilName(s);
                    strings.Add(s);
                }
                else if (value is ImmutableArray<CustomAttributeTypedArgument<string>> items)
                {
                    foreach (CustomAttributeTypedArgument<string> item in items) AddArgument(item.Type, item.Value, strings);
                }
            }

            private static string CecilName(string serialized)
            {
                int comma = serialized.IndexOf(',');
                return (comma < 0 ? serialized : serialized.Substring(0, comma)).Replace('+', '/');
            }

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

            public string GetSystemType() => SystemType;

            public string GetSZArrayType(string elementType) => elementType + "[]";

            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => MetadataNames.TypeName(reader, handle);

            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => MetadataNames.TypeName(reader, handle);

            public string GetTypeFromSerializedName(string name) => name;

            public bool IsSystemType(string type) => type == SystemType;

            public PrimitiveTypeCode GetUnderlyingEnumType(string type)
            {
                foreach (TypeDefinitionHandle th in _md.TypeDefinitions)
                {
                    if (MetadataNames.TypeName(_md, th) != type) continue;
                    foreach (FieldDefinitionHandle fh in _md.GetTypeDefinition(th).GetFields())
                    {
                        FieldDefinition f = _md.GetFieldDefinition(fh);
                        if ((f.Attributes & System.Reflection.FieldAttributes.Static) != 0) continue;
                        // value__: FIELD (0x06), then its ELEMENT_TYPE, which PrimitiveTypeCode numbers alike.
                        BlobReader sig = _md.GetBlobReader(f.Signature);
                        sig.ReadByte();
                        return (PrimitiveTypeCode)sig.ReadByte();
                    }
                }
                return PrimitiveTypeCode.Int32;
            }
        }
    }
}
