using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Aipp
{
    /// <summary>The rules of one aipp_op block that do not need the model: required fields, switches that fit the
    /// input format, YUV420SP's even sizes, and a crop window inside a source image of known size.</summary>
    public static class AippOpRules
    {
        public static void Check(AippOp op, string file, ICollection<AtcDiagnostic> diagnostics)
        {
            if (op.Mode == AippMode.Dynamic)
            {
                if (!op.Has("max_src_image_size"))
                    diagnostics.Add(AippDiagnostics.Missing(file, op.Line, op.Column, "max_src_image_size", "in dynamic mode",
                        "max_src_image_size: 752640 (bytes of the largest image)"));
                return;
            }
            if (op.InputFormat == AippInputFormat.None)
            {
                diagnostics.Add(AippDiagnostics.Missing(file, op.Line, op.Column, "input_format", "in static mode",
                    "input_format: RGB888_U8 (or YUV420SP_U8, XRGB8888_U8, YUV400_U8)"));
                return;
            }
            if (op.AxSwapSwitch && op.InputFormat != AippInputFormat.XRGB8888_U8)
                Bad(op, "ax_swap_switch", "true", "false unless input_format is XRGB8888_U8 (it moves the X byte)");
            if (op.InputFormat == AippInputFormat.YUV400_U8 && op.CscSwitch)
                Bad(op, "csc_switch", "true", "false for YUV400_U8 (a grey image has one channel to convert)");
            if (op.InputFormat == AippInputFormat.YUV400_U8 && op.RbuvSwapSwitch)
                Bad(op, "rbuv_swap_switch", "true", "false for YUV400_U8 (a grey image has no channels to swap)");
            if (op.InputFormat == AippInputFormat.YUV420SP_U8)
            {
                foreach (var field in new[] { "src_image_size_w", "src_image_size_h", "load_start_pos_w", "load_start_pos_h", "crop_size_w", "crop_size_h" })
                {
                    int value = ValueOf(op, field);
                    if (value % 2 != 0) Bad(op, field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "even for YUV420SP_U8 (U and V cover 2x2 pixels)");
                }
            }
            if (op.Crop) CheckCropWindow(op, file, diagnostics);

            void Bad(AippOp o, string field, string value, string expected)
            {
                var at = o.PositionOf(field);
                diagnostics.Add(AippDiagnostics.BadValue(file, at[0], at[1], field, value, expected));
            }
        }

        private static void CheckCropWindow(AippOp op, string file, ICollection<AtcDiagnostic> diagnostics)
        {
            // With a source or crop size of 0 (the model's size) the window is checked against the model by the compiler.
            bool outsideW = op.SrcImageSizeW > 0 && op.CropSizeW > 0 && op.LoadStartPosW + op.CropSizeW > op.SrcImageSizeW;
            bool outsideH = op.SrcImageSizeH > 0 && op.CropSizeH > 0 && op.LoadStartPosH + op.CropSizeH > op.SrcImageSizeH;
            if (!outsideW && !outsideH) return;
            var at = op.PositionOf(outsideW ? "crop_size_w" : "crop_size_h");
            diagnostics.Add(AippDiagnostics.CropOutside(file, at[0], at[1], DescribeWindow(op.LoadStartPosW, op.LoadStartPosH, op.CropSizeW, op.CropSizeH),
                "(w x h) " + op.SrcImageSizeW + " x " + op.SrcImageSizeH));
        }

        /// <summary>"(w x h) 50 x 60 at (10, 20)".</summary>
        public static string DescribeWindow(int x, int y, int w, int h) => "(w x h) " + w + " x " + h + " at (" + x + ", " + y + ")";

        private static int ValueOf(AippOp op, string field) => field switch
        {
            "src_image_size_w" => op.SrcImageSizeW,
            "src_image_size_h" => op.SrcImageSizeH,
            "load_start_pos_w" => op.LoadStartPosW,
            "load_start_pos_h" => op.LoadStartPosH,
            "crop_size_w" => op.CropSizeW,
            _ => op.CropSizeH,
        };
    }
}
