using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Atc.Options.Aipp
{
    /// <summary>
    /// A parsed and checked AIPP configuration (--insert_op_conf): one <see cref="AippOp"/> per pre-processed model
    /// input. Every model-independent rule is checked here; the compiler checks the blocks against the model's inputs.
    /// </summary>
    public sealed class AippConfig
    {
        /// <summary>Files above this size are not AIPP configurations (the template is about 10 KB).</summary>
        public const int MaxFileChars = 1 << 20;

        private AippConfig(string file, IReadOnlyList<AippOp> ops)
        {
            File = file;
            Ops = ops;
        }

        /// <summary>The file name used in messages.</summary>
        public string File { get; }
        public IReadOnlyList<AippOp> Ops { get; }

        /// <summary>Parses and checks <paramref name="text"/>; throws <see cref="AtcException"/> with every problem found.</summary>
        public static AippConfig Parse(string text, string file)
        {
            if (text.Length > MaxFileChars)
                throw AippDiagnostics.Syntax(file, 1, 1, "the file has " + text.Length.ToString(CultureInfo.InvariantCulture)
                    + " characters, more than an AIPP configuration can have (" + MaxFileChars.ToString(CultureInfo.InvariantCulture) + ")");
            var blocks = AippTextParser.Parse(text, file);
            var diagnostics = new List<AtcDiagnostic>();
            var ops = new List<AippOp>();
            foreach (var block in blocks)
            {
                AtcException? unknown = null;
                var op = ReadBlock(block, file, diagnostics, ref unknown);
                if (unknown != null) throw new AtcException(diagnostics.Concat(unknown.Diagnostics));
                ops.Add(op);
            }
            if (diagnostics.Count == 0) CheckAcrossBlocks(ops, file, diagnostics);
            if (diagnostics.Count > 0) throw new AtcException(diagnostics);
            return new AippConfig(file, ops);
        }

        private static AippOp ReadBlock(AippRawBlock block, string file, List<AtcDiagnostic> diagnostics, ref AtcException? unknown)
        {
            var op = new AippOp { Line = block.Line, Column = block.Column };
            var seen = new Dictionary<string, AippRawField>(StringComparer.Ordinal);
            foreach (var field in block.Fields)
            {
                if (!AippFieldTable.Fields.TryGetValue(field.Name, out var spec))
                {
                    unknown ??= AippDiagnostics.UnknownField(file, field.Line, field.Column, field.Name, "aipp_op", AippFieldTable.Names);
                    continue;
                }
                if (seen.TryGetValue(field.Name, out var first))
                {
                    diagnostics.Add(AippDiagnostics.Duplicate(file, field, first));
                    continue;
                }
                seen.Add(field.Name, field);
                op.FieldPositions[field.Name] = new[] { field.Line, field.Column };
                var value = AippValueReader.Read(spec, field, file, diagnostics);
                if (value is null) continue;
                if (spec.Unsupported != null && value.Value != 0)
                {
                    diagnostics.Add(AippDiagnostics.NotSupported(file, field.Line, field.Column, spec.Unsupported));
                    continue;
                }
                spec.Set(op, value.Value);
            }
            if (diagnostics.Count == 0) AippOpRules.Check(op, file, diagnostics);
            return op;
        }

        private static void CheckAcrossBlocks(List<AippOp> ops, string file, List<AtcDiagnostic> diagnostics)
        {
            var first = ops[0];
            foreach (var op in ops.Skip(1).Where(o => o.Mode != first.Mode))
            {
                var at = op.PositionOf("aipp_mode");
                diagnostics.Add(AippDiagnostics.ModesMixed(file, at[0], at[1], AippFieldTable.Modes[(int)op.Mode],
                    AippFieldTable.Modes[(int)first.Mode], first.PositionOf("aipp_mode")[0]));
            }
            var byInput = new Dictionary<int, AippOp>();
            foreach (var op in ops)
            {
                if (byInput.TryGetValue(op.RelatedInputRank, out var earlier))
                {
                    var at = op.PositionOf("related_input_rank");
                    diagnostics.Add(AippDiagnostics.InputInvalid(file, at[0], at[1],
                        "a second aipp_op block for model input " + op.RelatedInputRank + " (the first starts at line " + earlier.Line + ")",
                        "Give each block its own related_input_rank (0-based model input index), or merge the two blocks."));
                }
                else
                {
                    byInput.Add(op.RelatedInputRank, op);
                }
            }
        }
    }
}
