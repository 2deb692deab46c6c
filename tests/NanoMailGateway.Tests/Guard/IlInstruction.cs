// One IL instruction read from a method body (ECMA-335 Partition III, 1.2 and 1.9): its
// opcode, the kind and size of its operand and, for a token operand, the metadata token.
// The runtime guard reads it for the tokens a body uses, the bytecode budget for sizes.
// Left out: branch targets are not resolved, tokens are not checked against their table,
// and prefixes (volatile., constrained., ...) are instructions of their own, as they are
// in the IL stream.

using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>One IL instruction: what it is and how many bytes its operand takes.</summary>
    /// <param name="Code">The opcode: one byte, or 0xFE00 | second byte for the two-byte opcodes.</param>
    /// <param name="Operand">The kind of operand.</param>
    /// <param name="OperandBytes">Bytes of the operand in IL (a switch: its count and every target).</param>
    /// <param name="Token">The metadata token of a field, method, type, token, signature or string operand; else 0.</param>
    /// <param name="SwitchTargets">Number of targets of a switch; else 0.</param>
    public readonly record struct IlInstruction(int Code, OperandType Operand, int OperandBytes, int Token, int SwitchTargets)
    {
        /// <summary>Bytes of the opcode in IL (1 or 2).</summary>
        public int OpCodeBytes => Code > 0xFF ? 2 : 1;

        /// <summary>Reads the instruction at the reader's position and moves past it.</summary>
        /// <exception cref="BadImageFormatException">an opcode IL does not have.</exception>
        public static IlInstruction Read(ref BlobReader il)
        {
            int code = il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            if (!Operands.TryGetValue(code, out OperandType operand))
            {
                throw new BadImageFormatException("unknown IL opcode 0x" + code.ToString("X"));
            }
            switch (operand)
            {
                case OperandType.InlineSwitch:
                    int n = il.ReadInt32();
                    il.Offset += 4 * n;
                    return new IlInstruction(code, operand, 4 + 4 * n, 0, n);
                case OperandType.InlineString:
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                case OperandType.InlineSig:
                    return new IlInstruction(code, operand, 4, il.ReadInt32(), 0);
                default:
                    int bytes = FixedOperandBytes(operand);
                    il.Offset += bytes;
                    return new IlInstruction(code, operand, bytes, 0, 0);
            }
        }

        private static int FixedOperandBytes(OperandType operand) => operand switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineBrTarget or OperandType.InlineI or OperandType.ShortInlineR => 4,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => throw new BadImageFormatException("unexpected operand type " + operand),
        };

        /// <summary>Operand type per opcode, from System.Reflection.Emit.</summary>
        private static readonly Dictionary<int, OperandType> Operands = BuildOperandTable();

        private static Dictionary<int, OperandType> BuildOperandTable()
        {
            var table = new Dictionary<int, OperandType>();
            foreach (FieldInfo fi in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var op = (OpCode)fi.GetValue(null)!;
                table[(ushort)op.Value] = op.OperandType;
            }
            return table;
        }
    }
}
