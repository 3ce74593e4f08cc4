using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;

namespace Atc.Options
{
    /// <summary>
    /// The one table of ATC's conversion options (CANN 8.x "ATC parameters"): every option the CLI parses, --help
    /// lists and docs/atc-options.md shows, with what this compiler does with it. Adding an option here makes the
    /// CLI accept it; an ignored option needs nothing else (ATC3000 says what it means on a CPU target).
    /// </summary>
    public static class AtcOptionCatalog
    {
        private const AtcOptionStatus Done = AtcOptionStatus.Implemented;
        private const AtcOptionStatus Cpu = AtcOptionStatus.ImplementedForCpu;
        private const AtcOptionStatus Ignored = AtcOptionStatus.Ignored;
        private const AtcOptionStatus No = AtcOptionStatus.NotSupported;

        private static readonly string[] ZeroOne = { "0", "1" };
        private static readonly string[] TrueFalse = { "true", "false" };

        /// <summary>--precision_mode values (ATC's set).</summary>
        public static readonly IReadOnlyList<string> PrecisionModes = new[]
        {
            "force_fp32", "cube_fp16in_fp32out", "must_keep_origin_dtype", "force_fp16", "allow_fp32_to_fp16",
            "allow_mix_precision", "allow_mix_precision_fp16", "allow_mix_precision_bf16", "allow_fp32_to_bf16",
        };

        /// <summary>--precision_mode_v2 values (ATC's set).</summary>
        public static readonly IReadOnlyList<string> PrecisionModesV2 = new[]
        {
            "origin", "cube_fp16in_fp32out", "fp16", "mixed_float16", "mixed_bfloat16", "cube_hif8", "mixed_hif8",
        };

        public static IReadOnlyList<AtcOptionInfo> All { get; } = new List<AtcOptionInfo>
        {
            // ---- what to do ----
            new AtcOptionInfo(AtcOptionNames.Mode, Done, "0|1|3",
                "0: convert the model to an .om (default). 1: write an .om, or with --framework the original model as imported, as JSON (--om, --json). 3: check the options and the model only; write nothing."),
            new AtcOptionInfo(AtcOptionNames.Model, Done, "file", "The original model file: a TensorFlow frozen GraphDef (.pb), an ONNX model (.onnx) or a Caffe network (.prototxt, with --weight)."),
            new AtcOptionInfo(AtcOptionNames.Weight, Done, "file", "Caffe's weight file (.caffemodel) for the .prototxt in --model; required with --framework=0 (optional for --mode=1); with another framework it is ignored with warning ATC3007."),
            new AtcOptionInfo(AtcOptionNames.Framework, Done, "0|3|5", "The framework of --model: 0 Caffe, 3 TensorFlow, 5 ONNX. (ATC's 1 MindSpore is reported as not supported.)"),
            new AtcOptionInfo(AtcOptionNames.Output, Done, "path", "The output path without extension; \".om\" is appended. The file is written atomically."),
            new AtcOptionInfo(AtcOptionNames.SocVersion, Cpu, "soc",
                "ATC's target chip (Ascend310, Ascend310B1, Ascend310P3, Ascend910, Ascend910B, Ascend910_9391, ...). Required as in ATC and recorded in the .om; the code is generated for Atc's portable CPU runtime whatever the value."),
            new AtcOptionInfo(AtcOptionNames.Om, Done, "file", "--mode=1: the .om to write as JSON (with --framework: the original model)."),
            new AtcOptionInfo(AtcOptionNames.Json, Done, "file", "--mode=1: the JSON file to write."),
            new AtcOptionInfo(AtcOptionNames.SingleOp, Done, "file.json",
                "ATC's single-op description: a JSON array of ops (op, input_desc/output_desc with format ND/NCHW/NHWC, shape, type; attr). Each op becomes its own .om in the --output folder, named \"name\" or ATC's index_op_type_format_shape... (e.g. 0_Add_3_2_3_3_3_2_3_3_3_2_3_3.om); no --model/--framework. Ops: Add, AddV2, Sub, Mul, RealDiv, Div, Maximum, Minimum, Pow, Relu, Sigmoid, Tanh, Exp, Log, Sqrt, Abs, Neg, Reciprocal, Floor, Ceil, Erf, LeakyRelu, SoftmaxV2, MatMul/MatMulV2 (2-D), BatchMatMul, Conv2D (filter NCHW), Cast. float16 tensors compute in float32. Errors ATC4240-ATC4242 give line and column."),
            new AtcOptionInfo(AtcOptionNames.CheckReport, Cpu, "file.json",
                "Writes the op-support report as JSON: every node of the original model with its op type, supported or not and why. With unsupported ops the report is still written before the error."),
            new AtcOptionInfo(AtcOptionNames.Log, Done, "debug|info|warning|error|null", "Extra output on stderr: debug, info, warning, error, or null (default: none)."),

            // ---- inputs and shapes ----
            new AtcOptionInfo(AtcOptionNames.InputShape, Done, "\"name:n,c,h,w;name2:d,d\"",
                "Input shapes by input name, \";\" between inputs. -1 marks a dynamic axis (set by the gears, or any size without a gear option); a~b a range. Names may contain ':' (the shape follows the last one)."),
            new AtcOptionInfo(AtcOptionNames.InputFormat, Done, "NCHW|NHWC|ND|NCDHW|NDHWC",
                "Layout of the inputs. NCHW or NHWC place H and W for --dynamic_image_size (default NHWC for TensorFlow, NCHW for ONNX); --dynamic_dims requires ND."),
            new AtcOptionInfo(AtcOptionNames.DynamicBatchSize, Done, "\"1,2,4,8\"", "Gears of the batch axis N (the first axis, -1 in --input_shape): 2 to 100 positive values separated by ','."),
            new AtcOptionInfo(AtcOptionNames.DynamicImageSize, Done, "\"h,w;h,w\"", "Gears of H and W (-1 in --input_shape, NCHW/NHWC only): 2 to 100 \"height,width\" pairs separated by ';'."),
            new AtcOptionInfo(AtcOptionNames.DynamicDims, Done, "\"d,d;d,d\"", "Gears of every -1 axis of --input_shape, in order across the inputs: 2 to 100 profiles separated by ';'. Requires --input_format=ND."),
            new AtcOptionInfo(AtcOptionNames.InputShapeRange, Done, "\"name:[1~10,224,224,3]\"", "ATC's older form of ranges: \"name:[1~10,224,224,3];name2:[...]\". Excludes the gear options."),
            new AtcOptionInfo("input_hint_shape", Ignored, "\"index:[shape]\"", "Typical shapes of dynamic inputs, for tuning.",
                cpuMeaning: "it tunes NPU kernels for typical shapes; this runtime plans each shape profile exactly"),
            new AtcOptionInfo(AtcOptionNames.OutNodes, Done, "\"node:0;node2:1\"", "The model outputs, by node name and output index; nodes they do not need are dropped."),
            new AtcOptionInfo(AtcOptionNames.InsertOpConf, Done, "aipp.cfg", "AIPP image pre-processing (static or dynamic aipp_op blocks): the input becomes a uint8 image; swap, crop, colour conversion, normalisation and padding run in the model. aipp_mode: dynamic takes a uint8 [N, max_src_image_size] image and per-run parameters (InferenceModel.CreateAippInput). See docs/aipp.md."),
            new AtcOptionInfo("is_input_adjust_hw_layout", Ignored, "true,false,...", "Per input: feed the input in the NPU's NC1HWC0 layout.",
                cpuMeaning: "NC1HWC0 is an NPU memory layout; inputs here are always the model's own layout"),
            new AtcOptionInfo("is_output_adjust_hw_layout", Ignored, "true,false,...", "Per output: return the output in the NPU's NC1HWC0 layout.",
                cpuMeaning: "NC1HWC0 is an NPU memory layout; outputs here are always the model's own layout"),
            new AtcOptionInfo("op_name_map", Ignored, "file", "Maps custom op names of the original framework onto Ascend op types (a map file).",
                cpuMeaning: "it names NPU op implementations for custom ops; this compiler lowers each framework op itself, so unsupported ops stay unsupported (see --check_report)"),
            new AtcOptionInfo("external_weight", Ignored, "0|1", "1: store Const weights in files next to the .om instead of inside it.", ZeroOne,
                cpuMeaning: "weights stay inside the .om (read in place, pre-packed)"),

            // ---- precision ----
            new AtcOptionInfo(AtcOptionNames.PrecisionMode, Cpu, string.Join("|", PrecisionModes),
                "The model's precision. force_fp32 and must_keep_origin_dtype keep float32. allow_fp32_to_bf16 and allow_mix_precision_bf16 round Conv/Gemm/MatMul weights to bfloat16 and store them as bfloat16 in the .om; force_fp16, allow_fp32_to_fp16, allow_mix_precision(_fp16) and cube_fp16in_fp32out do the same with float16. Activations, accumulation and outputs stay float32 (--keep_dtype keeps named nodes float32); the 16-bit weights are widened to float32 at load (see 'What the bf16 modes compute here' below the table).",
                PrecisionModes),
            new AtcOptionInfo(AtcOptionNames.PrecisionModeV2, Cpu, string.Join("|", PrecisionModesV2),
                "The model's precision (newer form of --precision_mode; not both). origin keeps float32; mixed_bfloat16 stores Conv/Gemm/MatMul weights as bfloat16, fp16, mixed_float16 and cube_fp16in_fp32out as float16 (float32 accumulation); cube_hif8 and mixed_hif8 keep float32 with warning ATC3003.",
                PrecisionModesV2),
            new AtcOptionInfo(AtcOptionNames.KeepDtype, Cpu, "file",
                "A file of nodes that keep float32 under a lower-precision mode: one node name per line (ATC's OpName::name lines too), or OpType::type for every node of an op type (framework or canonical type). The file must exist; unknown names are warning ATC3004."),
            new AtcOptionInfo(AtcOptionNames.OutputType, Cpu, "FP32|FP16|UINT8|INT8|UINT16|INT16|UINT32|INT32|UINT64|INT64|DOUBLE|\"node:index:TYPE;...\"",
                "The data type of the outputs, for all or per node output. A type other than FP32 adds a Cast after the output (float to an integer type truncates toward zero and saturates); the model computes in float32. ATC's 8-bit floats (HIF8, FP8E5M2, FP8E4M3FN, Atlas 350 only) are E10055; other names (e.g. BF16) E10001. A node:index entry must name a model output (ATC4100)."),
            new AtcOptionInfo(AtcOptionNames.InputFp16Nodes, Cpu, "\"node1;node2\"",
                "Inputs fed as float16. The names are checked against the model (E10016); each becomes a float16 input with a Cast to float32 in front of the model."),
            new AtcOptionInfo("op_precision_mode", Ignored, "file.ini", "Per-op precision/implementation modes (an .ini file).",
                cpuMeaning: "it picks among NPU kernel variants; each op has one float32 kernel here"),
            new AtcOptionInfo("modify_mixlist", Ignored, "file.json", "Adjusts which ops mixed precision may lower.",
                cpuMeaning: "mixed precision is not applied on this target, so there is no list to adjust"),
            new AtcOptionInfo("customize_dtypes", Ignored, "file", "Per-node computation data types.",
                cpuMeaning: "every node computes in float32 on this target"),
            new AtcOptionInfo("allow_hf32", Ignored, "true|false", "Lets float32 convolutions/matmuls use the NPU's HF32 format.", TrueFalse,
                cpuMeaning: "HF32 is an NPU number format; this target computes in float32"),
            new AtcOptionInfo("op_select_implmode", Ignored, "high_precision|high_performance|high_precision_for_all|high_performance_for_all",
                "Chooses the high-precision or high-performance implementation of ops.",
                new[] { "high_precision", "high_performance", "high_precision_for_all", "high_performance_for_all" },
                cpuMeaning: "it picks among NPU kernel variants; each op has one float32 kernel here"),
            new AtcOptionInfo("optypelist_for_implmode", Ignored, "OpType,OpType", "The op types --op_select_implmode applies to.",
                cpuMeaning: "it picks among NPU kernel variants; each op has one float32 kernel here"),
            new AtcOptionInfo("deterministic", Ignored, "0|1", "1: deterministic computation.", ZeroOne,
                cpuMeaning: "this runtime is deterministic for a given model, gear and thread count"),

            // ---- optimisation ----
            new AtcOptionInfo(AtcOptionNames.FusionSwitchFile, Cpu, "file",
                "Turns fusion passes on or off: lines \"Name:off\", or ATC's JSON {\"Switch\":{\"GraphFusion\":{...},\"UBFusion\":{...}}} with \"ALL\". ATC's names that match this compiler's passes and the passes' own names are honoured; other names are warning ATC3001."),
            new AtcOptionInfo("enable_scope_fusion_passes", Ignored, "Pass1,Pass2", "Turns on TensorFlow scope fusion passes (off by default in ATC).",
                cpuMeaning: "this compiler lowers TensorFlow scopes op by op and has no scope fusion passes"),
            new AtcOptionInfo("buffer_optimize", Ignored, "l2_optimize|l1_optimize|off_optimize", "The NPU's on-chip buffer optimisation.",
                new[] { "l2_optimize", "l1_optimize", "off_optimize" },
                cpuMeaning: "L1/L2 buffers are NPU on-chip memories; memory here is planned into one arena per gear"),
            new AtcOptionInfo("enable_small_channel", Ignored, "0|1", "1: optimise convolutions with few input channels (with AIPP).", ZeroOne,
                cpuMeaning: "convolutions with 1-4 input channels always use the direct stem kernel here"),
            new AtcOptionInfo("compression_optimize_conf", Ignored, "file", "Compression (e.g. weight compression) configuration.",
                cpuMeaning: "weights are stored uncompressed and pre-packed for the CPU kernels"),
            new AtcOptionInfo("enable_compress_weight", Ignored, "true|false", "Compresses all weights.", TrueFalse,
                cpuMeaning: "weights are stored uncompressed and pre-packed for the CPU kernels"),
            new AtcOptionInfo("compress_weight_conf", Ignored, "file", "The nodes whose weights are compressed.",
                cpuMeaning: "weights are stored uncompressed and pre-packed for the CPU kernels"),
            new AtcOptionInfo("sparsity", Ignored, "0|1", "1: use 2:4 structured-sparse weights.", ZeroOne,
                cpuMeaning: "the CPU kernels compute dense weights"),
            new AtcOptionInfo("atomic_clean_policy", Ignored, "0|1", "How output memory of atomic ops is zeroed.", ZeroOne,
                cpuMeaning: "there are no atomic-add kernels here; every output is written in full"),
            new AtcOptionInfo("shape_generalized_build_mode", Ignored, "shape_generalized|shape_precise", "Builds dynamic-shape kernels (deprecated in ATC).",
                new[] { "shape_generalized", "shape_precise" },
                cpuMeaning: "shapes come from the gears and ranges of the shape options"),

            // ---- target and environment ----
            new AtcOptionInfo("core_type", Ignored, "VectorCore|AiCore", "The NPU core type the model runs on.", new[] { "VectorCore", "AiCore" },
                cpuMeaning: "it selects NPU cores; the model runs on the CPU"),
            new AtcOptionInfo("aicore_num", Ignored, "N", "The number of AI Cores to compile for.",
                cpuMeaning: "the thread count is chosen at run time (SessionOptions.ThreadCount)"),
            new AtcOptionInfo("virtual_type", Ignored, "0|1", "1: the .om runs on a virtualised NPU partition.", ZeroOne,
                cpuMeaning: "there is no NPU partition; the model runs on the CPU"),
            new AtcOptionInfo("host_env_os", Ignored, "linux", "The OS of the host the .om runs on.", new[] { "linux" },
                cpuMeaning: "the .om is portable: any OS .NET 10 runs on"),
            new AtcOptionInfo("host_env_cpu", Ignored, "x86_64|aarch64", "The CPU of the host the .om runs on.", new[] { "x86_64", "aarch64" },
                cpuMeaning: "the .om is portable; kernels are chosen on the running CPU (AVX-512, AVX2 or portable)"),

            // ---- debugging and tooling ----
            new AtcOptionInfo("op_debug_level", Ignored, "0|1|2|3|4", "Builds NPU kernels with debug information.", new[] { "0", "1", "2", "3", "4" },
                cpuMeaning: "there are no NPU kernels to build; --log=debug shows the compiler's steps"),
            new AtcOptionInfo("op_debug_config", Ignored, "file", "Debug options of NPU kernel builds.",
                cpuMeaning: "there are no NPU kernels to build"),
            new AtcOptionInfo("debug_dir", Ignored, "dir", "Where NPU kernel build files go.",
                cpuMeaning: "there are no NPU kernel build files"),
            new AtcOptionInfo("op_compiler_cache_mode", Ignored, "enable|disable|force", "The NPU kernel compile cache.", new[] { "enable", "disable", "force" },
                cpuMeaning: "there are no NPU kernels to cache; MSBuild recompiles only models whose inputs changed"),
            new AtcOptionInfo("op_compiler_cache_dir", Ignored, "dir", "Where the NPU kernel compile cache is.",
                cpuMeaning: "there are no NPU kernels to cache"),
            new AtcOptionInfo("op_bank_path", Ignored, "dir", "The op tuning knowledge base.",
                cpuMeaning: "there are no tuned NPU kernels"),
            new AtcOptionInfo("dump_mode", Ignored, "0|1", "1: keep op information in the .om for dumping.", ZeroOne,
                cpuMeaning: "the .om always keeps every node's name and attributes (atc --mode=1 shows them)"),
            new AtcOptionInfo("display_model_info", Ignored, "0|1", "1: print the model's memory and weight sizes after conversion.", ZeroOne,
                cpuMeaning: "--log=info prints the gears and the .om size, and atc --mode=1 the memory plan"),
            new AtcOptionInfo("status_check", Ignored, "0|1", "1: add overflow checks to NPU kernels.", ZeroOne,
                cpuMeaning: "the CPU kernels compute IEEE float32 with no overflow state"),
            new AtcOptionInfo("save_original_model", Ignored, "true|false", "Also saves the original model as an .om.", TrueFalse,
                cpuMeaning: "atc --mode=1 --framework=N --om=model dumps the original model as imported"),

            // ---- this project's own ----
            new AtcOptionInfo(AtcOptionNames.ArenaLimitMb, AtcOptionStatus.ProjectOwn, "MB",
                "Not an ATC option: the largest arena (intermediate tensors, MB) one shape profile may need; a profile above it fails with ATC1104. 0 = no limit. Default: a quarter of the memory available to the compiler."),
        };

        /// <summary>The option names, in table order.</summary>
        public static IReadOnlyList<string> Names { get; } = All.Select(o => o.Name).ToList();

        private static readonly Dictionary<string, AtcOptionInfo> ByName = All.ToDictionary(o => o.Name);

        /// <summary>The row of an option by its name without dashes, or null.</summary>
        public static AtcOptionInfo? Find(string name) => ByName.TryGetValue(name, out var info) ? info : null;
    }
}
