namespace Atc.Runtime.Kernels;

/// <summary>Sizes of Winograd F(4x4, 3x3): 4x4 output tiles computed from 6x6 input tiles, 36 transformed points.</summary>
internal static class WinogradTile
{
    public const int Output = 4;
    public const int Input = 6;
    public const int Points = Input * Input;
}
