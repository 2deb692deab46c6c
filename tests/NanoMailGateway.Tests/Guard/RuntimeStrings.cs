// The strings nanoFramework's runtime carries in itself: a built-in table of mscorlib
// names (".ctor", "System", "Object", "ToString", ...) that the metadata processor (MDP)
// refers to by number, so that it stores none of them in an assembly's string table
// (ARCHITECTURE.md, Device rules: the budget). BytecodeBudget leaves them
// out of its string-table estimate.
//
// They are derived here, not listed: mscorlib itself goes through the same processor, so a
// name that mscorlib.dll gives one of its types, namespaces, methods or non-constant
// fields, and that the string table of the mscorlib.pe shipped beside it lacks, is one the
// runtime holds. Every such name is in MDP's table; the converse does not hold (the table
// also has names mscorlib does not define, such as parameter names), so the estimate only
// misses savings, never overstates them.
//
// Left out: everything but the string table of the .pe (its header is CLR_RECORD_ASSEMBLY:
// table offsets at 0x28, per-table padding at 0x6C, the string table is table 11).

using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Xml.Linq;

namespace NanoMailGateway.Tests.Guard
{
    public sealed class RuntimeStrings
    {
        private const int TableOffsets = 0x28;
        private const int TablePaddings = 0x6C;
        private const int StringTable = 11;

        private readonly HashSet<string> _strings;

        private RuntimeStrings(HashSet<string> strings) { _strings = strings; }

        /// <summary>No built-in strings: every string counts (an upper bound of any runtime's table).</summary>
        public static readonly RuntimeStrings None = new(new HashSet<string>());

        public int Count => _strings.Count;

        public bool Contains(string s) => _strings.Contains(s);

        /// <summary>
        /// The built-in strings that <paramref name="mscorlibDll"/> reveals with the mscorlib.pe
        /// and mscorlib.pdbx beside it (the nanoFramework.CoreLibrary package ships all three).
        /// </summary>
        /// <exception cref="FileNotFoundException">there is no mscorlib.pe or mscorlib.pdbx beside it.</exception>
        public static RuntimeStrings FromMscorlib(string mscorlibDll)
        {
            string pe = Beside(mscorlibDll, ".pe");
            HashSet<string> stored = ReadStringTable(File.ReadAllBytes(pe));
            var builtIn = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in ConvertedNames(mscorlibDll, Beside(mscorlibDll, ".pdbx")))
            {
                if (!stored.Contains(name)) builtIn.Add(name);
            }
            return new RuntimeStrings(builtIn);
        }

        private static string Beside(string dll, string extension)
        {
            string path = Path.ChangeExtension(dll, extension);
            if (!File.Exists(path)) throw new FileNotFoundException("mscorlib" + extension + " not found beside " + dll, path);
            return path;
        }

        /// <summary>The strings of a nanoFramework .pe's string table (NUL-terminated UTF-8, one after the other).</summary>
        public static HashSet<string> ReadStringTable(byte[] pe)
        {
            if (pe.Length < TablePaddings + 16 || Encoding.ASCII.GetString(pe, 0, 6) != "NFMRK1")
            {
                throw new BadImageFormatException("not a nanoFramework .pe (no NFMRK1 marker)");
            }
            int start = (int)BitConverter.ToUInt32(pe, TableOffsets + 4 * StringTable);
            int end = (int)BitConverter.ToUInt32(pe, TableOffsets + 4 * (StringTable + 1)) - pe[TablePaddings + StringTable];
            var strings = new HashSet<string>(StringComparer.Ordinal);
            for (int i = start; i < end;)
            {
                int nul = Array.IndexOf(pe, (byte)0, i, end - i);
                if (nul < 0) throw new BadImageFormatException("string table does not end with NUL");
                strings.Add(Encoding.UTF8.GetString(pe, i, nul - i));
                i = nul + 1;
            }
            return strings;
        }

        /// <summary>
        /// The names MDP stored (in the string table, or by number when built in) for the
        /// definitions that made it into mscorlib.pe: the types, methods and fields its .pdbx
        /// maps (types that MDP excluded or dropped are in the .dll but not in the .pdbx).
        /// </summary>
        private static IEnumerable<string> ConvertedNames(string dll, string pdbx)
        {
            using var stream = File.OpenRead(dll);
            using var peReader = new PEReader(stream);
            MetadataReader md = peReader.GetMetadataReader();
            // The assembly's own name goes in the string table too (as every assembly's does).
            var names = new List<string> { md.GetString(md.GetAssemblyDefinition().Name) };
            foreach (XElement token in XDocument.Load(pdbx).Descendants("Token"))
            {
                string? owner = token.Parent?.Name.LocalName;
                if (owner != "Class" && owner != "Method" && owner != "Field") continue;
                string clr = (string?)token.Element("CLR") ?? throw new FormatException(pdbx + ": Token without CLR");
                EntityHandle h = MetadataTokens.EntityHandle(Convert.ToInt32(clr, 16));
                switch (h.Kind)
                {
                    case HandleKind.TypeDefinition:
                        TypeDefinition t = md.GetTypeDefinition((TypeDefinitionHandle)h);
                        names.Add(md.GetString(t.Namespace));
                        names.Add(md.GetString(t.Name));
                        break;
                    case HandleKind.MethodDefinition:
                        names.Add(md.GetString(md.GetMethodDefinition((MethodDefinitionHandle)h).Name));
                        break;
                    case HandleKind.FieldDefinition:
                        names.Add(md.GetString(md.GetFieldDefinition((FieldDefinitionHandle)h).Name));
                        break;
                }
            }
            return names;
        }
    }
}
