namespace Atc.Runtime;

/// <summary>The source image formats of AIPP (ATC's input_format values), for <see cref="AippDynamicParameters"/>.</summary>
public enum AippImageFormat
{
    /// <summary>YUV420SP_U8: H rows of Y, then H/2 rows of interleaved U,V (NV12; NV21 with <see cref="AippDynamicParameters.RbuvSwap"/>); H and W even.</summary>
    Yuv420Sp = 0,
    /// <summary>RGB888_U8: interleaved R,G,B bytes (B,G,R with <see cref="AippDynamicParameters.RbuvSwap"/>).</summary>
    Rgb888 = 1,
    /// <summary>XRGB8888_U8: X,R,G,B bytes (R,G,B,X with <see cref="AippDynamicParameters.AxSwap"/>).</summary>
    Xrgb8888 = 2,
    /// <summary>YUV400_U8: one grey byte per pixel (for a 1-channel model input).</summary>
    Yuv400 = 3,
}
