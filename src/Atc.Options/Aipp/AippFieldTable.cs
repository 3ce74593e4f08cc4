using System;
using System.Collections.Generic;
using System.Linq;
using Atc.Options.Errors;

namespace Atc.Options.Aipp
{
    public enum AippFieldKind { Bool, Int, Float, Enum }

    /// <summary>
    /// One field of aipp_op: its kind, the range ATC documents, and where the value goes. <see cref="Unsupported"/>
    /// names ATC fields this compiler parses but cannot run when set to anything but their default (E10055).
    /// </summary>
    public sealed class AippFieldSpec
    {
        public AippFieldSpec(string name, AippFieldKind kind, double min, double max, Action<AippOp, double> set,
            string[]? enumValues = null, string? unsupported = null)
        {
            Name = name;
            Kind = kind;
            Min = min;
            Max = max;
            Set = set;
            EnumValues = enumValues ?? Array.Empty<string>();
            Unsupported = unsupported;
        }

        public string Name { get; }
        public AippFieldKind Kind { get; }
        public double Min { get; }
        public double Max { get; }
        /// <summary>Stores the value (bools as 0/1, enums as their index in <see cref="EnumValues"/>).</summary>
        public Action<AippOp, double> Set { get; }
        public string[] EnumValues { get; }
        /// <summary>Why a non-default value cannot run here; null when every valid value runs.</summary>
        public string? Unsupported { get; }
    }

    /// <summary>The fields of ATC's aipp_op (its configuration template), with the value ranges of its documentation.</summary>
    public static class AippFieldTable
    {
        /// <summary>aipp_mode values, in <see cref="AippMode"/> order.</summary>
        public static readonly string[] Modes = { "static", "dynamic" };

        /// <summary>input_format values this compiler runs, in <see cref="AippInputFormat"/> order after None.</summary>
        public static readonly string[] Formats = { "YUV420SP_U8", "RGB888_U8", "XRGB8888_U8", "YUV400_U8" };

        /// <summary>ATC's other input formats: known names, not run here (E10055 rather than "not a value").</summary>
        public static readonly string[] UnsupportedFormats = { "ARGB8888_U8", "YUYV_U8", "YUV422SP_U8", "AYUV444_U8", "RAW10", "RAW12", "RAW16", "RAW24" };

        private const double Float16Max = 65504;

        public static IReadOnlyDictionary<string, AippFieldSpec> Fields { get; } = Build();

        public static IReadOnlyList<string> Names { get; } = Fields.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

        private static Dictionary<string, AippFieldSpec> Build()
        {
            var list = new List<AippFieldSpec>
            {
                new AippFieldSpec("aipp_mode", AippFieldKind.Enum, 0, 1, (o, v) => o.Mode = (AippMode)(int)v, Modes),
                new AippFieldSpec("related_input_rank", AippFieldKind.Int, 0, 1023, (o, v) => o.RelatedInputRank = (int)v),
                new AippFieldSpec("input_edge_idx", AippFieldKind.Int, 0, 1023, (o, v) => { },
                    unsupported: "input_edge_idx (AIPP on one consumer of a shared input) is not supported; remove it to pre-process the input for all its consumers"),
                new AippFieldSpec("max_src_image_size", AippFieldKind.Int, 0, int.MaxValue, (o, v) => o.MaxSrcImageSize = (int)v),
                new AippFieldSpec("support_rotation", AippFieldKind.Bool, 0, 1, (o, v) => { },
                    unsupported: "support_rotation (dynamic AIPP rotation) is not supported"),
                new AippFieldSpec("input_format", AippFieldKind.Enum, 0, Formats.Length - 1,
                    (o, v) => o.InputFormat = (AippInputFormat)((int)v + 1), Formats.Concat(UnsupportedFormats).ToArray()),
                Int("src_image_size_w", 0, 4096, (o, v) => o.SrcImageSizeW = v),
                Int("src_image_size_h", 0, 4096, (o, v) => o.SrcImageSizeH = v),
                Bool("crop", (o, v) => o.Crop = v),
                Int("load_start_pos_w", 0, 4095, (o, v) => o.LoadStartPosW = v),
                Int("load_start_pos_h", 0, 4095, (o, v) => o.LoadStartPosH = v),
                Int("crop_size_w", 0, 4096, (o, v) => o.CropSizeW = v),
                Int("crop_size_h", 0, 4096, (o, v) => o.CropSizeH = v),
                new AippFieldSpec("resize", AippFieldKind.Bool, 0, 1, (o, v) => { },
                    unsupported: "resize is not supported (ATC's AIPP does not resize either); crop to the model size instead"),
                Int("resize_output_w", 0, 4096, (o, v) => { }),
                Int("resize_output_h", 0, 4096, (o, v) => { }),
                Bool("padding", (o, v) => o.Padding = v),
                Int("left_padding_size", 0, 32, (o, v) => o.LeftPaddingSize = v),
                Int("right_padding_size", 0, 32, (o, v) => o.RightPaddingSize = v),
                Int("top_padding_size", 0, 32, (o, v) => o.TopPaddingSize = v),
                Int("bottom_padding_size", 0, 32, (o, v) => o.BottomPaddingSize = v),
                new AippFieldSpec("padding_value", AippFieldKind.Float, -Float16Max, Float16Max, (o, v) => o.PaddingValue = (float)v),
                Bool("csc_switch", (o, v) => o.CscSwitch = v),
                Bool("rbuv_swap_switch", (o, v) => o.RbuvSwapSwitch = v),
                Bool("ax_swap_switch", (o, v) => o.AxSwapSwitch = v),
                new AippFieldSpec("single_line_mode", AippFieldKind.Bool, 0, 1, (o, v) => { },
                    unsupported: "single_line_mode is not supported; feed whole images"),
            };
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int index = r * 3 + c;
                    list.Add(Int("matrix_r" + r + "c" + c, -32768, 32767, (o, v) => o.Matrix[index] = v));
                }
            }
            for (int i = 0; i < 3; i++)
            {
                int k = i;
                list.Add(Int("output_bias_" + k, 0, 255, (o, v) => o.OutputBias[k] = v));
                list.Add(Int("input_bias_" + k, 0, 255, (o, v) => o.InputBias[k] = v));
            }
            for (int i = 0; i < 4; i++)
            {
                int k = i;
                list.Add(Int("mean_chn_" + k, 0, 255, (o, v) => o.MeanChn[k] = v));
                list.Add(new AippFieldSpec("min_chn_" + k, AippFieldKind.Float, 0, 255, (o, v) => o.MinChn[k] = (float)v));
                list.Add(new AippFieldSpec("var_reci_chn_" + k, AippFieldKind.Float, -Float16Max, Float16Max, (o, v) => o.VarReciChn[k] = (float)v));
            }
            return list.ToDictionary(f => f.Name, StringComparer.Ordinal);
        }

        private static AippFieldSpec Int(string name, int min, int max, Action<AippOp, int> set)
            => new AippFieldSpec(name, AippFieldKind.Int, min, max, (o, v) => set(o, (int)v));

        private static AippFieldSpec Bool(string name, Action<AippOp, bool> set)
            => new AippFieldSpec(name, AippFieldKind.Bool, 0, 1, (o, v) => set(o, v != 0));
    }
}
