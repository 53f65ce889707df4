using System.Buffers.Binary;
using System.Reflection.Emit;

namespace Journeys.Tests.Architecture;

/// <summary>Reads the metadata tokens out of a method body's IL: every operand of kind <c>InlineType</c>,
/// <c>InlineMethod</c>, <c>InlineField</c> and <c>InlineTok</c>. The opcode table is built once from
/// <see cref="OpCodes"/> (one-byte opcodes, and two-byte ones behind the 0xFE prefix); operand sizes come from each
/// opcode's <see cref="OperandType"/>, and a <c>switch</c> skips its table of branch targets.</summary>
internal static class IlTokens
{
    private const byte TwoBytePrefix = 0xFE;

    private static readonly (OpCode?[] OneByte, OpCode?[] TwoByte) Table = BuildTable();

    private static (OpCode?[] OneByte, OpCode?[] TwoByte) BuildTable()
    {
        var oneByte = new OpCode?[256];
        var twoByte = new OpCode?[256];
        foreach (var field in typeof(OpCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
        {
            if (field.GetValue(null) is not OpCode op)
            {
                continue;
            }

            var value = unchecked((ushort)op.Value);
            if (op.Size == 1)
            {
                oneByte[value & 0xFF] = op;
            }
            else if (op.Size == 2 && value >> 8 == TwoBytePrefix)
            {
                twoByte[value & 0xFF] = op;
            }
        }

        return (oneByte, twoByte);
    }

    /// <summary>The tokens a body's IL names, in order, each with its operand kind.</summary>
    /// <exception cref="InvalidOperationException">The IL holds a byte that is no opcode, or runs past its end.</exception>
    public static List<(OperandType Kind, int Token)> Read(byte[] il)
    {
        var tokens = new List<(OperandType, int)>();
        var position = 0;
        while (position < il.Length)
        {
            var start = position;
            OpCode? op;
            var first = il[position++];
            if (first == TwoBytePrefix)
            {
                if (position >= il.Length)
                {
                    throw new InvalidOperationException($"IL ends inside a two-byte opcode at offset {start}.");
                }

                op = Table.TwoByte[il[position++]];
            }
            else
            {
                op = Table.OneByte[first];
            }

            if (op is not { } code)
            {
                throw new InvalidOperationException($"Unknown opcode 0x{first:X2} at IL offset {start}.");
            }

            switch (code.OperandType)
            {
                case OperandType.InlineType:
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineTok:
                    tokens.Add((code.OperandType, ReadInt32(il, position, start)));
                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    var targets = ReadInt32(il, position, start);
                    if (targets < 0 || targets > (il.Length - position - 4) / 4)
                    {
                        throw new InvalidOperationException($"A switch at IL offset {start} has {targets} targets, more than the IL holds.");
                    }

                    position += 4 + (4 * targets);
                    break;
                default:
                    position += OperandSize(code);
                    break;
            }
        }

        if (position != il.Length)
        {
            throw new InvalidOperationException($"The last instruction's operand runs past the end of the IL ({il.Length} bytes).");
        }

        return tokens;
    }

    private static int ReadInt32(byte[] il, int position, int instruction) =>
        position + 4 <= il.Length
            ? BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(position, 4))
            : throw new InvalidOperationException($"The operand of the instruction at IL offset {instruction} runs past the end of the IL.");

    private static int OperandSize(OpCode code) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineBrTarget or OperandType.InlineField or OperandType.InlineI or OperandType.InlineMethod
            or OperandType.InlineSig or OperandType.InlineString or OperandType.InlineTok or OperandType.InlineType
            or OperandType.ShortInlineR => 4,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => throw new InvalidOperationException($"Opcode {code.Name} has operand type {code.OperandType}, which this reader does not size."),
    };
}
