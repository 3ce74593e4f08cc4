using System.Collections.Generic;
using Atc.Options.Parsing;

namespace Atc.Options
{
    /// <summary>A validated ATC command line: typed values the compiler runs with.</summary>
    public sealed class AtcCommand
    {
        public AtcCommand(AtcCommandOptions raw, AtcMode mode, AtcFramework? framework, string? modelPath, string? outputPath,
            string? socVersion, AtcLogLevel log, string? omPath, string? jsonPath, IReadOnlyList<OutNodeSpec> outNodes, ShapeOptions shape,
            long? arenaLimitMb = null)
        {
            Raw = raw;
            Mode = mode;
            Framework = framework;
            ModelPath = modelPath;
            OutputPath = outputPath;
            SocVersion = socVersion;
            Log = log;
            OmPath = omPath;
            JsonPath = jsonPath;
            OutNodes = outNodes;
            Shape = shape;
            ArenaLimitMb = arenaLimitMb;
        }

        public AtcCommandOptions Raw { get; }
        public AtcMode Mode { get; }
        /// <summary>Caffe, TensorFlow or ONNX; null when not given (--mode=1 on an .om).</summary>
        public AtcFramework? Framework { get; }
        public string? ModelPath { get; }
        /// <summary>The .om path: --output with ".om" appended (kept when already there).</summary>
        public string? OutputPath { get; }
        public string? SocVersion { get; }
        public AtcLogLevel Log { get; }
        public string? OmPath { get; }
        public string? JsonPath { get; }
        public IReadOnlyList<OutNodeSpec> OutNodes { get; }
        public ShapeOptions Shape { get; }
        /// <summary>--arena_limit_mb: the largest arena a gear may plan, in MB; 0 = no limit; null = the default
        /// (a quarter of the memory available to the compiler).</summary>
        public long? ArenaLimitMb { get; }
        /// <summary>--weight: the Caffe .caffemodel (null for other frameworks, and for --mode=1 without it).</summary>
        public string? WeightPath { get; set; }
        /// <summary>Precision, output types, fusion switches and the check report (beyond the shape options).</summary>
        public Deployment.DeploymentOptions Deployment { get; set; } = Atc.Options.Deployment.DeploymentOptions.None;
    }

    /// <summary>The outcome of validating a command line: the command (best effort) and every problem found.</summary>
    public sealed class AtcValidation
    {
        public AtcValidation(AtcCommand command, IReadOnlyList<AtcDiagnostic> diagnostics)
        {
            Command = command;
            Diagnostics = diagnostics;
        }

        public AtcCommand Command { get; }
        public IReadOnlyList<AtcDiagnostic> Diagnostics { get; }

        public bool HasErrors
        {
            get
            {
                foreach (var d in Diagnostics) if (d.Severity == AtcSeverity.Error) return true;
                return false;
            }
        }
    }
}
