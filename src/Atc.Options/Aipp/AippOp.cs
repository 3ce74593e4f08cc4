namespace Atc.Options.Aipp
{
    /// <summary>
    /// One aipp_op block with ATC's defaults for every field not given. Sizes of 0 mean "the model input's size".
    /// Matrix, biases and normalisation are per channel in the order the channels leave CSC.
    /// </summary>
    public sealed class AippOp
    {
        /// <summary>Where the block starts in the file (for messages about the whole block).</summary>
        public int Line { get; set; }
        public int Column { get; set; }

        /// <summary>Where each given field's name starts, so later checks (against the model) can point at it.</summary>
        public System.Collections.Generic.Dictionary<string, int[]> FieldPositions { get; } =
            new System.Collections.Generic.Dictionary<string, int[]>(System.StringComparer.Ordinal);

        /// <summary>Line and column of <paramref name="field"/>, or of the block when the field was not given.</summary>
        public int[] PositionOf(string field) => FieldPositions.TryGetValue(field, out var p) ? p : new[] { Line, Column };

        /// <summary>True when the file sets <paramref name="field"/>.</summary>
        public bool Has(string field) => FieldPositions.ContainsKey(field);

        public AippMode Mode { get; set; } = AippMode.Static;
        public int RelatedInputRank { get; set; }
        public AippInputFormat InputFormat { get; set; }
        public int MaxSrcImageSize { get; set; }

        public int SrcImageSizeW { get; set; }
        public int SrcImageSizeH { get; set; }

        public bool Crop { get; set; }
        public int LoadStartPosW { get; set; }
        public int LoadStartPosH { get; set; }
        public int CropSizeW { get; set; }
        public int CropSizeH { get; set; }

        public bool Padding { get; set; }
        public int LeftPaddingSize { get; set; }
        public int RightPaddingSize { get; set; }
        public int TopPaddingSize { get; set; }
        public int BottomPaddingSize { get; set; }
        public float PaddingValue { get; set; }

        public bool CscSwitch { get; set; }
        public bool RbuvSwapSwitch { get; set; }
        public bool AxSwapSwitch { get; set; }

        /// <summary>Row-major 3x3 CSC matrix (matrix_r{row}c{col}).</summary>
        public int[] Matrix { get; } = new int[9];
        public int[] InputBias { get; } = new int[3];
        public int[] OutputBias { get; } = new int[3];

        public int[] MeanChn { get; } = new int[4];
        public float[] MinChn { get; } = new float[4];
        public float[] VarReciChn { get; } = { 1f, 1f, 1f, 1f };

        /// <summary>Channels AIPP writes: 1 for YUV400 (grey), 3 otherwise.</summary>
        public int OutputChannels => InputFormat == AippInputFormat.YUV400_U8 ? 1 : 3;

        /// <summary>Bytes per pixel in the source tensor's last axis: 4 for XRGB, 3 for RGB, 1 for YUV400 and YUV420SP.</summary>
        public int SourceChannels => InputFormat switch
        {
            AippInputFormat.XRGB8888_U8 => 4,
            AippInputFormat.RGB888_U8 => 3,
            _ => 1,
        };
    }
}
