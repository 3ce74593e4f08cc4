using System.Collections.Generic;

namespace Atc.Options
{
    /// <summary>ATC's option names, without the leading "--" (diagnostics' Parameter uses these too).</summary>
    public static class AtcOptionNames
    {
        public const string Model = "model";
        public const string Framework = "framework";
        /// <summary>Caffe's weight file (.caffemodel), with --framework=0.</summary>
        public const string Weight = "weight";
        public const string Output = "output";
        public const string SocVersion = "soc_version";
        public const string InputShape = "input_shape";
        public const string InputFormat = "input_format";
        public const string DynamicBatchSize = "dynamic_batch_size";
        public const string DynamicImageSize = "dynamic_image_size";
        public const string DynamicDims = "dynamic_dims";
        public const string InputShapeRange = "input_shape_range";
        public const string OutNodes = "out_nodes";
        public const string Mode = "mode";
        public const string Log = "log";
        public const string Om = "om";
        public const string Json = "json";
        /// <summary>This compiler's own: the largest arena (MB) a gear may plan; 0 = no limit. Not an ATC option.</summary>
        public const string ArenaLimitMb = "arena_limit_mb";
        public const string PrecisionMode = "precision_mode";
        public const string PrecisionModeV2 = "precision_mode_v2";
        public const string KeepDtype = "keep_dtype";
        public const string OutputType = "output_type";
        public const string InputFp16Nodes = "input_fp16_nodes";
        public const string FusionSwitchFile = "fusion_switch_file";
        public const string CheckReport = "check_report";
        public const string SingleOp = "singleop";
        /// <summary>AIPP: owned by the AIPP work (issue 14); listed here so the table is complete.</summary>
        public const string InsertOpConf = "insert_op_conf";

        /// <summary>Every option this compiler accepts, in the order --help lists them (the rows of <see cref="AtcOptionCatalog"/>).</summary>
        public static IReadOnlyList<string> All => AtcOptionCatalog.Names;
    }
}
