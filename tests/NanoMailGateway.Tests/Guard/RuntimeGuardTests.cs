// The guard's own tests: every construct in tests/NanoMailGateway.GuardSamples is
// reported under the name of the sample type that holds it, and the clean samples are not.

using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace NanoMailGateway.Tests.Guard
{
    public class RuntimeGuardTests
    {
        private const string Ns = "NanoMailGateway.GuardSamples.";

        private static readonly Lazy<IReadOnlyList<GuardFinding>> Findings = new(() =>
            RuntimeGuard.Scan(BuildOutput.DeviceAssembly("tests/NanoMailGateway.GuardSamples", "NanoMailGateway.GuardSamples")));

        private static string Dump() => string.Join(Environment.NewLine, Findings.Value.Select(f => "  " + f));

        [Theory]
        [InlineData("BadGenericClass`1", GuardConstruct.GenericTypeDefinition)]
        [InlineData("BadGenericMethod.Identity", GuardConstruct.GenericMethodDefinition)]
        [InlineData("BadGenericMethodCall.Call", GuardConstruct.GenericInstantiation)]
        [InlineData("IBadGenericInterface`1", GuardConstruct.GenericTypeDefinition)]
        [InlineData("BadGenericDelegate`1", GuardConstruct.GenericTypeDefinition)]
        [InlineData("BadInterfaceImplementation", GuardConstruct.GenericInstantiation)]
        [InlineData("BadGenericBase", GuardConstruct.GenericInstantiation)]
        [InlineData("BadGenericField.Square", GuardConstruct.GenericInstantiation)]
        [InlineData("BadGenericLocal.Run", GuardConstruct.GenericInstantiation)]
        [InlineData("BadGenericParameter.Invoke", GuardConstruct.GenericInstantiation)]
        [InlineData("BadNaturalLambdaType.Run", GuardConstruct.GenericInstantiation)]
        [InlineData("BadMultiDimensionalArray.Grid", GuardConstruct.MultiDimensionalArray)]
        [InlineData("BadMultiDimensionalArray..ctor", GuardConstruct.MultiDimensionalArray)]
        [InlineData("BadPointer.Read", GuardConstruct.Pointer)]
        [InlineData("BadFixed.First", GuardConstruct.Pointer)]
        [InlineData("BadStackalloc.Sum", GuardConstruct.Pointer)]
        [InlineData("BadFunctionPointer.Call", GuardConstruct.FunctionPointer)]
        [InlineData("BadGenericAttribute`1", GuardConstruct.GenericTypeDefinition)]
        [InlineData("attribute on " + Ns + "BadGenericAttributeUser", GuardConstruct.GenericInstantiation)]
        [InlineData("BadStringArray.Make", GuardConstruct.StringArrayWithoutNullSlots)]
        [InlineData("BadStringArrayFilledByLoop.Copy", GuardConstruct.StringArrayWithoutNullSlots)]
        [InlineData("BadStringArrayNullElement.Make", GuardConstruct.StringArrayWithoutNullSlots)]
        [InlineData("BadEmptyStringArray.Make", GuardConstruct.StringArrayWithoutNullSlots)]
        [InlineData("BadCheckedArithmetic.Narrow", GuardConstruct.OverflowCheck)]
        [InlineData("BadThreadEntry.Loop", GuardConstruct.UnguardedThreadEntry)]
        [InlineData("BadTimerEntry.Tick", GuardConstruct.UnguardedThreadEntry)]
        [InlineData("BadStaticTable..cctor", GuardConstruct.StaticDataAtBoot)]
        [InlineData("BadStaticInstance..cctor", GuardConstruct.StaticDataAtBoot)]
        [InlineData("BadCachedDelegate+<>O.<0>__Tick", GuardConstruct.StaticDataAtBoot)]
        public void ReportsEachConstructUnderTheNameOfItsOwner(string member, GuardConstruct construct)
        {
            string expected = member.StartsWith("attribute on ", StringComparison.Ordinal) ? member : Ns + member;
            Assert.True(Findings.Value.Any(f => f.Construct == construct && f.Member == expected),
                "expected " + construct + " in " + expected + "; found:" + Environment.NewLine + Dump());
        }

        [Fact]
        public void GenericInstantiationNamesTheInstantiatedType()
        {
            Assert.Contains(Findings.Value, f => f.Member == Ns + "BadGenericField.Square" && f.Detail.Contains("System.Func`2<Int32,Int32>", StringComparison.Ordinal));
            Assert.Contains(Findings.Value, f => f.Member == Ns + "BadGenericMethodCall.Call" && f.Detail.Contains("Identity<Int32>", StringComparison.Ordinal));
        }

        [Fact]
        public void StringArrayFindingSaysWhereAndWhatToUse()
        {
            GuardFinding f = Findings.Value.Single(x => x.Member == Ns + "BadStringArray.Make");
            Assert.Equal(GuardConstruct.StringArrayWithoutNullSlots, f.Construct);
            Assert.Contains("IL_0001", f.Detail, StringComparison.Ordinal);
            Assert.Contains(StringArrayRule.HelperType + "." + StringArrayRule.HelperMethod, f.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public void PrintsFindingsForTheLog()
        {
            Assert.NotEmpty(Findings.Value);
            Console.WriteLine(Dump());
        }

        [Fact]
        public void CleanSamplesAreNotReported()
        {
            var clean = Findings.Value.Where(f => f.Member.Contains("Clean", StringComparison.Ordinal)).ToList();
            Assert.True(clean.Count == 0, "clean samples reported:" + Environment.NewLine + string.Join(Environment.NewLine, clean));
        }

        [Fact]
        public void EveryFindingBelongsToABadSample()
        {
            // Nothing the compiler adds by itself (embedded attributes, <Module>) may be flagged.
            var stray = Findings.Value.Where(f => !f.Member.Contains("Bad", StringComparison.Ordinal)).ToList();
            Assert.True(stray.Count == 0, "findings outside the Bad samples:" + Environment.NewLine + string.Join(Environment.NewLine, stray));
        }

        [Fact]
        public void MissingAssemblyFailsInsteadOfSkipping()
        {
            Assert.Throws<System.IO.FileNotFoundException>(() => BuildOutput.DeviceAssembly("firmware/NoSuchProject", "NoSuchProject"));
        }
    }
}
