namespace Atc.Runtime.MicroKernels;

/// <summary>
/// A Winograd variant for 3x3 kernels: F(m x m, 3x3) computes m x m output tiles from (m+2) x (m+2) input tiles
/// with (m+2)^2 transformed points. F(4x4) needs 4x fewer multiplies than direct, F(2x2) 2.25x, but its transformed
/// weights are 16/9 of the weights' size instead of 4x: the better choice on small maps, where streaming the
/// weights dominates.
/// </summary>
internal readonly record struct WinogradTile(int Output)
{
    public static readonly WinogradTile F4 = new(4);
    public static readonly WinogradTile F2 = new(2);

    public int Input => Output + 2;
    public int Points => Input * Input;
    /// <summary>Largest point count of any variant (stack buffers are sized for it).</summary>
    public const int MaxPoints = 36;
}
