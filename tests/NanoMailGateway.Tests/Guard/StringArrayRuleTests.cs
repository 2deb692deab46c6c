// Guards the string-array rule's one exemption: StringArray.New in the Platform library
// as the board runs it. The exemption must name a method that really makes a string
// array (else it would exempt nothing, and a renamed helper would be reported as its
// own violation), and the helper must store null into the slots itself, by ldnull and
// stelem.ref, never by Array.Clear, which leaves them as they were on the device.

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class StringArrayRuleTests
    {
        private const string Platform = "NanoMailGateway.Core.Platform";

        /// <summary>Runs <paramref name="check"/> on each method of StringArray in the Platform device assembly.</summary>
        private static void ForEachHelperMethod(System.Action<MetadataReader, PEReader, MethodDefinitionHandle> check)
        {
            using var stream = File.OpenRead(BuildOutput.CoreLibrary(Platform));
            using var pe = new PEReader(stream);
            MetadataReader md = pe.GetMetadataReader();
            TypeDefinitionHandle type = md.TypeDefinitions.Single(h =>
                md.GetString(md.GetTypeDefinition(h).Namespace) + "." + md.GetString(md.GetTypeDefinition(h).Name) == StringArrayRule.HelperType);
            foreach (MethodDefinitionHandle mh in md.GetTypeDefinition(type).GetMethods()) check(md, pe, mh);
        }

        private static List<IlInstruction> Body(PEReader pe, MethodDefinition m) =>
            IlInstruction.Decode(pe.GetMethodBody(m.RelativeVirtualAddress).GetILReader());

        [Fact]
        public void TheExemptHelperIsInThePlatformLibrary()
        {
            Assert.Equal(Platform, StringArrayRule.HelperAssembly);
        }

        [Fact]
        public void OnlyTheExemptHelperMakesAnArrayTheRuleWouldReport()
        {
            var reported = new List<string>();
            ForEachHelperMethod((md, pe, mh) =>
            {
                MethodDefinition m = md.GetMethodDefinition(mh);
                var rule = new StringArrayRule(md);
                if (rule.Unfilled(Body(pe, m), pe.GetMethodBody(m.RelativeVirtualAddress)).Any())
                {
                    reported.Add(md.GetString(m.Name) + (rule.IsHelper(mh) ? " (exempt)" : ""));
                }
            });
            Assert.Equal(new[] { StringArrayRule.HelperMethod + " (exempt)" }, reported);
        }

        [Fact]
        public void TheHelperStoresNullIntoSlotsAndNeverCallsArrayClear()
        {
            int nullStores = 0;
            var calls = new List<string>();
            ForEachHelperMethod((md, pe, mh) =>
            {
                List<IlInstruction> body = Body(pe, md.GetMethodDefinition(mh));
                for (int i = 0; i + 1 < body.Count; i++)
                {
                    if (body[i].Is(OpCodes.Ldnull) && body[i + 1].Is(OpCodes.Stelem_Ref)) nullStores++;
                }
                foreach (IlInstruction ins in body.Where(x => x.Is(OpCodes.Call) || x.Is(OpCodes.Callvirt)))
                {
                    EntityHandle h = MetadataTokens.EntityHandle(ins.Operand);
                    if (h.Kind != HandleKind.MemberReference) continue;
                    MemberReference r = md.GetMemberReference((MemberReferenceHandle)h);
                    if (r.Parent.Kind != HandleKind.TypeReference) continue;
                    TypeReference t = md.GetTypeReference((TypeReferenceHandle)r.Parent);
                    calls.Add(md.GetString(t.Namespace) + "." + md.GetString(t.Name) + "." + md.GetString(r.Name));
                }
            });
            Assert.True(nullStores > 0, "no `ldnull; stelem.ref` in " + StringArrayRule.HelperType);
            Assert.DoesNotContain("System.Array.Clear", calls);
        }
    }
}
