using System.Collections.Generic;
using Atc.Options.Parsing;

namespace Atc.Options
{
    /// <summary>Which gear option is in effect (ATC allows at most one).</summary>
    public enum GearOption
    {
        None,
        /// <summary>--dynamic_batch_size: one value (N) per gear.</summary>
        BatchSize,
        /// <summary>--dynamic_image_size: H and W per gear.</summary>
        ImageSize,
        /// <summary>--dynamic_dims: the values of every -1 axis per gear.</summary>
        Dims,
    }

    /// <summary>
    /// The shape options after parsing and the model-independent rules: what the model-dependent rules and the gear
    /// expansion work from. Only well-formed entries are kept; the problems are in the diagnostics list.
    /// </summary>
    public sealed class ShapeOptions
    {
        public ShapeOptions(IReadOnlyList<InputShapeSpec> inputShapes, IReadOnlyList<InputShapeSpec> inputShapeRanges,
            AtcInputFormat? inputFormat, AtcInputFormat imageLayout, GearOption gearOption, IReadOnlyList<long[]> gears)
        {
            InputShapes = inputShapes;
            InputShapeRanges = inputShapeRanges;
            InputFormat = inputFormat;
            ImageLayout = imageLayout;
            GearOption = gearOption;
            Gears = gears;
        }

        /// <summary>No shape option at all: the model's declared shapes.</summary>
        public static ShapeOptions None { get; } = new ShapeOptions(new InputShapeSpec[0], new InputShapeSpec[0], null,
            AtcInputFormat.NCHW, GearOption.None, new long[0][]);

        /// <summary>--input_shape entries in the order given.</summary>
        public IReadOnlyList<InputShapeSpec> InputShapes { get; }
        /// <summary>--input_shape_range entries in the order given.</summary>
        public IReadOnlyList<InputShapeSpec> InputShapeRanges { get; }
        /// <summary>--input_format as given; null when absent.</summary>
        public AtcInputFormat? InputFormat { get; }
        /// <summary>The layout that places H and W for --dynamic_image_size: --input_format, else the framework's default
        /// (NHWC for TensorFlow, NCHW otherwise).</summary>
        public AtcInputFormat ImageLayout { get; }
        public GearOption GearOption { get; }
        /// <summary>The gears of the gear option, one array of values per gear.</summary>
        public IReadOnlyList<long[]> Gears { get; }

        /// <summary>The option name of <see cref="GearOption"/> ("dynamic_batch_size", ...); null for None.</summary>
        public string? GearOptionName => NameOf(GearOption);

        public static string? NameOf(GearOption option)
        {
            switch (option)
            {
                case GearOption.BatchSize: return AtcOptionNames.DynamicBatchSize;
                case GearOption.ImageSize: return AtcOptionNames.DynamicImageSize;
                case GearOption.Dims: return AtcOptionNames.DynamicDims;
                default: return null;
            }
        }

        /// <summary>(H, W) axis positions in a rank-4 shape for <see cref="ImageLayout"/>.</summary>
        public static void ImageAxes(AtcInputFormat layout, out int h, out int w)
        {
            if (layout == AtcInputFormat.NHWC) { h = 1; w = 2; }
            else { h = 2; w = 3; }
        }
    }
}
