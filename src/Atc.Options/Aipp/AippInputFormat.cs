namespace Atc.Options.Aipp
{
    /// <summary>AIPP source image formats this compiler runs (ATC's input_format values of the same names).</summary>
    public enum AippInputFormat
    {
        /// <summary>Not given (dynamic mode, or an error in static mode).</summary>
        None,
        /// <summary>NV12: a Y plane, then one plane of interleaved U,V at half resolution (NV21 with rbuv_swap_switch).</summary>
        YUV420SP_U8,
        /// <summary>Interleaved R,G,B bytes.</summary>
        RGB888_U8,
        /// <summary>Interleaved X,R,G,B bytes (R,G,B,X with ax_swap_switch); X is dropped.</summary>
        XRGB8888_U8,
        /// <summary>One grey (Y) byte per pixel.</summary>
        YUV400_U8,
    }

    /// <summary>aipp_mode.</summary>
    public enum AippMode { Static, Dynamic }
}
