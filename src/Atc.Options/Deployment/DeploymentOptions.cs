using System.Collections.Generic;

namespace Atc.Options.Deployment
{
    /// <summary>One --output_type entry: a data type for all outputs (Node null) or for one node output.</summary>
    public sealed class OutputTypeSpec
    {
        public OutputTypeSpec(string? node, int index, string type)
        {
            Node = node;
            Index = index;
            Type = type;
        }

        public string? Node { get; }
        public int Index { get; }
        /// <summary>FP32, FP16 or UINT8.</summary>
        public string Type { get; }
    }

    /// <summary>The deployment options of a validated command line (precision, types, fusion switches, report).</summary>
    public sealed class DeploymentOptions
    {
        public static DeploymentOptions None { get; } = new DeploymentOptions(null, null, null, null, null, new OutputTypeSpec[0], new string[0]);

        public DeploymentOptions(string? precisionMode, string? precisionModeV2, string? keepDtypePath, string? fusionSwitchPath,
            string? checkReportPath, IReadOnlyList<OutputTypeSpec> outputTypes, IReadOnlyList<string> inputFp16Nodes)
        {
            PrecisionMode = precisionMode;
            PrecisionModeV2 = precisionModeV2;
            KeepDtypePath = keepDtypePath;
            FusionSwitchPath = fusionSwitchPath;
            CheckReportPath = checkReportPath;
            OutputTypes = outputTypes;
            InputFp16Nodes = inputFp16Nodes;
        }

        public string? PrecisionMode { get; }
        public string? PrecisionModeV2 { get; }
        /// <summary>The mode given (either form; ATC allows only one), or null.</summary>
        public string? EffectivePrecisionMode => PrecisionMode ?? PrecisionModeV2;
        /// <summary>What the mode does to conv/GEMM weights here.</summary>
        public WeightPrecision WeightPrecision => PrecisionModes.Of(EffectivePrecisionMode);
        public string? KeepDtypePath { get; }
        public string? FusionSwitchPath { get; }
        public string? CheckReportPath { get; }
        public IReadOnlyList<OutputTypeSpec> OutputTypes { get; }
        public IReadOnlyList<string> InputFp16Nodes { get; }
    }
}
