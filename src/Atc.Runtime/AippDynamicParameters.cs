namespace Atc.Runtime;

/// <summary>
/// The per-run parameters of an input compiled with dynamic AIPP (<c>aipp_mode: dynamic</c> in --insert_op_conf),
/// the fields of ATC's AIPP configuration: the source image's format and size, channel swaps, crop, colour-space
/// conversion, normalisation and padding, applied in that order. Turn them into the model's parameter input with
/// <see cref="InferenceModel.CreateAippInput"/>, which checks them against the model (codes ATC3200-ATC3202).
/// A plain mutable object: fill it on one thread; the tensor it makes is immutable.
/// </summary>
public sealed class AippDynamicParameters
{
    /// <summary>The source image's format.</summary>
    public AippImageFormat InputFormat { get; set; } = AippImageFormat.Rgb888;
    /// <summary>Source image width in pixels (src_image_size_w).</summary>
    public int SourceWidth { get; set; }
    /// <summary>Source image height in pixels (src_image_size_h).</summary>
    public int SourceHeight { get; set; }
    /// <summary>rbuv_swap_switch: R and B (RGB) or U and V (YUV420SP: NV21) swapped.</summary>
    public bool RbuvSwap { get; set; }
    /// <summary>ax_swap_switch (XRGB8888 only): the pixel is R,G,B,X instead of X,R,G,B.</summary>
    public bool AxSwap { get; set; }
    /// <summary>crop: take the window at (<see cref="CropLeft"/>, <see cref="CropTop"/>); without it the whole source is used.</summary>
    public bool Crop { get; set; }
    /// <summary>load_start_pos_w.</summary>
    public int CropLeft { get; set; }
    /// <summary>load_start_pos_h.</summary>
    public int CropTop { get; set; }
    /// <summary>crop_size_w.</summary>
    public int CropWidth { get; set; }
    /// <summary>crop_size_h.</summary>
    public int CropHeight { get; set; }
    /// <summary>csc_switch: out_i = clamp(((Σ_j matrix[i,j]·(in_j − input_bias_j)) &gt;&gt; 8) + output_bias_i, 0, 255).</summary>
    public bool Csc { get; set; }
    /// <summary>matrix_r0c0 .. matrix_r2c2, row by row (9 values, each in −32768..32767).</summary>
    public int[] CscMatrix { get; set; } = [256, 0, 0, 0, 256, 0, 0, 0, 256];
    /// <summary>input_bias_0..2 (0..255).</summary>
    public int[] CscInputBias { get; set; } = [0, 0, 0];
    /// <summary>output_bias_0..2 (0..255).</summary>
    public int[] CscOutputBias { get; set; } = [0, 0, 0];
    /// <summary>mean_chn_0..2: out = (in − mean − min) · var_reci per channel (one value used for a grey input).</summary>
    public float[] Mean { get; set; } = [0, 0, 0];
    /// <summary>min_chn_0..2.</summary>
    public float[] Min { get; set; } = [0, 0, 0];
    /// <summary>var_reci_chn_0..2.</summary>
    public float[] VarReci { get; set; } = [1, 1, 1];
    /// <summary>padding: add the four padding sizes around the (cropped) image, filled with <see cref="PaddingValue"/>.</summary>
    public bool Padding { get; set; }
    /// <summary>top_padding_size.</summary>
    public int PadTop { get; set; }
    /// <summary>bottom_padding_size.</summary>
    public int PadBottom { get; set; }
    /// <summary>left_padding_size.</summary>
    public int PadLeft { get; set; }
    /// <summary>right_padding_size.</summary>
    public int PadRight { get; set; }
    /// <summary>padding_value: the float the padding pixels get (after normalisation).</summary>
    public float PaddingValue { get; set; }
}
