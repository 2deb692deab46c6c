// One IL instruction of a method body as the runtime guard and the bytecode budget read
// it (ECMA-335 Partition III, 1.2 and 1.9), and the decoder that turns a body into them. Operands are kept as numbers: the metadata token, the
// constant of ldc.i4.s/ldc.i4, or the absolute target offset of a branch (switch keeps
// all of its targets), so that the rules can follow tokens, constants and branches.

using System;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;

namespace NanoMailGateway.Tests.Guard
{
    /// <summary>A decoded IL instruction.</summary>
    public readonly record struct IlInstruction(int Offset, OpCode OpCode, int Operand, int[] SwitchTargets)
    {
        /// <summary>True when <see cref="Operand"/> is a metadata token.</summary>
        public bool HasToken => OpCode.OperandType is OperandType.InlineField or OperandType.InlineMethod
            or OperandType.InlineTok or OperandType.InlineType or OperandType.InlineSig;

        /// <summary>True for a branch with one target (<see cref="Operand"/>), conditional or not.</summary>
        public bool IsBranch => OpCode.OperandType is OperandType.ShortInlineBrTarget or OperandType.InlineBrTarget;

        /// <summary>Bytes of the operand in IL: a switch's count and every target, else by operand type.</summary>
        public int OperandBytes => OpCode.OperandType switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => 4 + 4 * SwitchTargets.Length,
            _ => 4,
        };

        /// <summary>True for <paramref name="op"/>.</summary>
        public bool Is(OpCode op) => OpCode.Value == op.Value;

        /// <summary>The constant an ldc.i4 form pushes, or null for any other instruction.</summary>
        public int? Int32Constant
        {
            get
            {
                int v = (ushort)OpCode.Value;
                if (v >= OpCodes.Ldc_I4_M1.Value && v <= OpCodes.Ldc_I4_8.Value) return v - OpCodes.Ldc_I4_0.Value;
                if (Is(OpCodes.Ldc_I4_S) || Is(OpCodes.Ldc_I4)) return Operand;
                return null;
            }
        }

        /// <summary>Every instruction of <paramref name="il"/>, in order.</summary>
        /// <exception cref="BadImageFormatException">an opcode or operand type the table does not know.</exception>
        public static List<IlInstruction> Decode(BlobReader il)
        {
            var body = new List<IlInstruction>();
            while (il.RemainingBytes > 0)
            {
                int offset = il.Offset;
                int code = il.ReadByte();
                if (code == 0xFE) code = 0xFE00 | il.ReadByte();
                if (!OpCodesByValue.TryGetValue(code, out OpCode op))
                {
                    throw new BadImageFormatException("unknown IL opcode 0x" + code.ToString("X"));
                }
                int operand = 0;
                int[] targets = Array.Empty<int>();
                switch (op.OperandType)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                        operand = il.ReadSByte() + il.Offset; // relative to the next instruction
                        break;
                    case OperandType.ShortInlineI:
                        operand = op.Value == OpCodes.Ldc_I4_S.Value ? il.ReadSByte() : il.ReadByte();
                        break;
                    case OperandType.ShortInlineVar:
                        operand = il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        operand = il.ReadUInt16();
                        break;
                    case OperandType.InlineBrTarget:
                        operand = il.ReadInt32() + il.Offset;
                        break;
                    case OperandType.InlineI:
                    case OperandType.ShortInlineR:
                    case OperandType.InlineString:
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                    case OperandType.InlineSig:
                        operand = il.ReadInt32();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        targets = new int[il.ReadInt32()];
                        for (int i = 0; i < targets.Length; i++) targets[i] = il.ReadInt32();
                        for (int i = 0; i < targets.Length; i++) targets[i] += il.Offset;
                        break;
                    default:
                        throw new BadImageFormatException("unexpected operand type " + op.OperandType);
                }
                body.Add(new IlInstruction(offset, op, operand, targets));
            }
            return body;
        }

        /// <summary>Every opcode by its value (one byte, or 0xFExx for two bytes), from System.Reflection.Emit.</summary>
        private static readonly Dictionary<int, OpCode> OpCodesByValue = BuildOpCodeTable();

        private static Dictionary<int, OpCode> BuildOpCodeTable()
        {
            var table = new Dictionary<int, OpCode>();
            foreach (FieldInfo fi in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var op = (OpCode)fi.GetValue(null)!;
                table[(ushort)op.Value] = op;
            }
            return table;
        }
    }
}
