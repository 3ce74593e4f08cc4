using System.Collections.Generic;
using Atc.Options.Errors;
using Atc.Options.Parsing;

namespace Atc.Options.Rules
{
    /// <summary>
    /// The model-independent rules of ATC's whole command line: --mode, --framework, required options, --soc_version,
    /// --log, --output, --out_nodes syntax, and the shape options (<see cref="ShapeOptionRules"/>). Every problem is
    /// reported at once. No file is touched: whether files exist is the driver's check.
    /// </summary>
    public static class AtcCommandRules
    {
        public const string FrameworkValues = "0(Caffe) or 1(MindSpore) or 3(TensorFlow) or 5(Onnx)";

        public static AtcValidation Validate(AtcCommandOptions options, ModelDeclaration? modelForFixes = null)
        {
            var diagnostics = new List<AtcDiagnostic>();
            var mode = CheckMode(options, diagnostics);
            var log = CheckLog(options, diagnostics);
            // --singleop takes the place of --model and --framework; --output names a folder (one .om per op).
            bool singleOp = options.Has(AtcOptionNames.SingleOp);
            var framework = singleOp && !options.Has(AtcOptionNames.Framework) ? null : CheckFramework(options, mode, diagnostics);

            string? model = null, output = null, soc = null, om = null, json = null;
            if (singleOp)
            {
                Required(options, AtcOptionNames.SingleOp, diagnostics, "Name the single-op description, e.g. --singleop=./add.json.");
                soc = CheckSocVersion(options, diagnostics);
                if (mode == AtcMode.ToJson)
                    diagnostics.Add(AtcErrors.NotSupported(AtcOptionNames.SingleOp, "--singleop with --mode=1 (there is no model to dump before the ops are compiled)",
                        "Compile with --mode=0, then dump each .om with --mode=1 --om=file.om --json=file.json."));
                else if (mode == AtcMode.Convert)
                    output = Required(options, AtcOptionNames.Output, diagnostics, "Name the folder for the single-op models, e.g. --output=./op_models.");
            }
            else if (mode == AtcMode.ToJson)
            {
                om = Required(options, AtcOptionNames.Om, diagnostics, "Name the model to dump, e.g. --om=model.om.");
                json = Required(options, AtcOptionNames.Json, diagnostics, "Name the JSON file to write, e.g. --json=model.json.");
                if (json != null && EndsWithSeparator(json)) { diagnostics.Add(AtcErrors.PathWithoutFileName(AtcOptionNames.Json, json)); json = null; }
            }
            else
            {
                model = Required(options, AtcOptionNames.Model, diagnostics, "Name the model file, e.g. --model=./model.pb.");
                soc = CheckSocVersion(options, diagnostics);
                if (mode == AtcMode.Convert)
                    output = CheckOutput(options, diagnostics);
            }

            var outNodes = OutNodesParser.Parse(options.OutNodes, diagnostics);
            var shape = ShapeOptionRules.Check(options, framework, diagnostics, modelForFixes);
            var arenaLimit = CheckArenaLimit(options, diagnostics);
            var deployment = Deployment.DeploymentOptionRules.Check(options, diagnostics);
            var command = new AtcCommand(options, mode, framework, model, output, soc, log, om, json, outNodes, shape, arenaLimit)
            {
                Deployment = deployment,
                WeightPath = CheckWeight(options, mode, framework, diagnostics),
            };
            return new AtcValidation(command, diagnostics);
        }

        /// <summary>"out/resnet" → "out/resnet.om" (an existing ".om" is kept).</summary>
        public static string OmPathOf(string output)
            => output.EndsWith(".om", System.StringComparison.OrdinalIgnoreCase) ? output : output + ".om";

        private static AtcMode CheckMode(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            if (!options.Has(AtcOptionNames.Mode)) return AtcMode.Convert;
            var text = options.Mode!.Trim();
            if (IntegerText.TryParse(text, out long value))
            {
                if (value == 0 || value == 1 || value == 3) return (AtcMode)value;
                if (value == 5 || value == 6 || value == 30)
                {
                    diagnostics.Add(AtcErrors.NotSupported(AtcOptionNames.Mode,
                        "--mode=" + value + " is an ATC mode this compiler does not implement; it implements 0 (convert), 1 (model to JSON) and 3 (pre-check)",
                        "Use --mode=0, 1 or 3."));
                    return AtcMode.Convert;
                }
            }
            diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.Mode, text,
                "The value must be 0 (convert), 1 (model to JSON) or 3 (pre-check only)", "Use --mode=0, 1 or 3."));
            return AtcMode.Convert;
        }

        /// <summary>The largest --arena_limit_mb: 2^43 MB (8 EB) keeps the byte count inside a long.</summary>
        public const long MaxArenaLimitMb = 1L << 43;

        private static long? CheckArenaLimit(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            if (options.ArenaLimitMb is null) return null;
            var text = options.ArenaLimitMb.Trim();
            if (text.Length == 0)
            {
                diagnostics.Add(AtcErrors.ValueEmpty(AtcOptionNames.ArenaLimitMb, "Give the limit in MB, e.g. --arena_limit_mb=4096, or 0 for no limit."));
                return null;
            }
            if (!IntegerText.TryParseInt64(text, out long value) || value < 0 || value > MaxArenaLimitMb)
            {
                diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.ArenaLimitMb, text,
                    "The value must be an integer number of megabytes from 0 (no limit) to " + MaxArenaLimitMb,
                    "Use e.g. --arena_limit_mb=4096, or --arena_limit_mb=0 for no limit."));
                return null;
            }
            return value;
        }

        private static AtcLogLevel CheckLog(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            if (!options.Has(AtcOptionNames.Log)) return AtcLogLevel.Null;
            var text = options.Log!.Trim();
            switch (text.ToLowerInvariant())
            {
                case "debug": return AtcLogLevel.Debug;
                case "info": return AtcLogLevel.Info;
                case "warning": return AtcLogLevel.Warning;
                case "error": return AtcLogLevel.Error;
                case "null": return AtcLogLevel.Null;
            }
            diagnostics.Add(AtcErrors.InvalidLogLevel(text));
            return AtcLogLevel.Null;
        }

        private static AtcFramework? CheckFramework(AtcCommandOptions options, AtcMode mode, List<AtcDiagnostic> diagnostics)
        {
            if (!options.Has(AtcOptionNames.Framework))
            {
                // --mode=1 dumps an .om without it; with it, --om names the original model.
                if (mode != AtcMode.ToJson)
                    diagnostics.Add(AtcErrors.RequiredValue(AtcOptionNames.Framework, FrameworkValues,
                        "Add --framework=0 for a Caffe .prototxt, --framework=3 for a TensorFlow .pb or --framework=5 for an .onnx model."));
                return null;
            }
            var text = options.Framework!.Trim();
            if (IntegerText.TryParse(text, out long value))
            {
                switch (value)
                {
                    case 0: return AtcFramework.Caffe;
                    case 3: return AtcFramework.TensorFlow;
                    case 5: return AtcFramework.Onnx;
                    case 1:
                        diagnostics.Add(AtcErrors.NotSupported(AtcOptionNames.Framework,
                            "--framework=1 (MindSpore) is not supported by this compiler; it imports Caffe (0), TensorFlow (3) and ONNX (5) models",
                            "Export the model to ONNX and convert it with --framework=5."));
                        return null;
                }
            }
            diagnostics.Add(AtcErrors.RequiredValue(AtcOptionNames.Framework, FrameworkValues,
                "Use --framework=0 for a Caffe .prototxt, --framework=3 for a TensorFlow .pb or --framework=5 for an .onnx model."));
            return null;
        }

        /// <summary>--weight: the .caffemodel, required for converting a Caffe model (--mode=1 dumps the .prototxt
        /// alone); with another framework it is ignored, as ATC does, with warning ATC3007.</summary>
        private static string? CheckWeight(AtcCommandOptions options, AtcMode mode, AtcFramework? framework, List<AtcDiagnostic> diagnostics)
        {
            if (framework != AtcFramework.Caffe)
            {
                if (framework != null && options.Has(AtcOptionNames.Weight))
                    diagnostics.Add(AtcErrors.WeightIgnored(options.Get(AtcOptionNames.Weight)!.Trim(), framework == AtcFramework.Onnx ? "ONNX" : framework.ToString()!));
                return null;
            }
            if (mode == AtcMode.ToJson)
                return options.Has(AtcOptionNames.Weight) ? options.Get(AtcOptionNames.Weight)!.Trim() : null;
            return Required(options, AtcOptionNames.Weight, diagnostics,
                "A Caffe model is two files: give the network with --model=net.prototxt and its trained weights with --weight=net.caffemodel.");
        }

        private static string? CheckSocVersion(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            var soc = Required(options, AtcOptionNames.SocVersion, diagnostics,
                "Add the target chip, e.g. --soc_version=Ascend310. This compiler generates code for its portable CPU runtime whatever the value; it is recorded for compatibility.");
            if (soc is null || SocVersions.IsKnown(soc)) return soc;
            var canonical = SocVersions.Canonical(soc);
            diagnostics.Add(AtcErrors.InvalidValue(AtcOptionNames.SocVersion, soc,
                "The value is not a known Ascend AI processor (" + SocVersions.Families + ")",
                canonical != null ? "Use --soc_version=" + canonical + "." : "Use the chip name as ATC spells it, e.g. --soc_version=Ascend310."));
            return null;
        }

        private static string? CheckOutput(AtcCommandOptions options, List<AtcDiagnostic> diagnostics)
        {
            var output = Required(options, AtcOptionNames.Output, diagnostics, "Name the output without extension, e.g. --output=./out/model (writes ./out/model.om).");
            if (output is null) return null;
            if (EndsWithSeparator(output))
            {
                diagnostics.Add(AtcErrors.PathWithoutFileName(AtcOptionNames.Output, output));
                return null;
            }
            return OmPathOf(output);
        }

        private static bool EndsWithSeparator(string path) => path.EndsWith("/", System.StringComparison.Ordinal) || path.EndsWith("\\", System.StringComparison.Ordinal);

        /// <summary>The trimmed value; E10054 when absent, E10004 when given empty.</summary>
        private static string? Required(AtcCommandOptions options, string name, List<AtcDiagnostic> diagnostics, string fix)
        {
            var value = options.Get(name);
            if (value is null)
            {
                diagnostics.Add(AtcErrors.RequiredMissing(name, fix));
                return null;
            }
            if (value.Trim().Length == 0)
            {
                diagnostics.Add(AtcErrors.ValueEmpty(name, fix));
                return null;
            }
            return value.Trim();
        }
    }
}
