namespace Atc.Runtime.Format;

/// <summary>How a float32 constant or prepacked blob is stored in the WEIGHTS_DATA partition (om.proto's
/// WeightStorage): as is, or narrowed to 16 bits when every value is exact in the narrower type (lossless).</summary>
internal enum WeightStorageType
{
    Float32 = 0,
    Float16 = 1,
    BFloat16 = 2,
}
