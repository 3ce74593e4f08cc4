namespace Atc.Tests.NeuralNet;

/// <summary>
/// Naive references in double: direct loops with no blocking, written from the operator definitions. Spatial ops
/// take channels-first data with any number (1 to 3) of spatial axes.
/// </summary>
internal static class Reference
{
    public static int Product(int[] dims) => dims.Aggregate(1, (a, b) => a * b);

    private static int[] Unravel(int index, int[] dims)
    {
        var r = new int[dims.Length];
        for (int i = dims.Length - 1; i >= 0; i--) { r[i] = index % dims[i]; index /= dims[i]; }
        return r;
    }

    /// <summary>Flat index of <paramref name="position"/> in <paramref name="dims"/>, or -1 if outside.</summary>
    private static int Ravel(int[] position, int[] dims)
    {
        int r = 0;
        for (int i = 0; i < dims.Length; i++)
        {
            if (position[i] < 0 || position[i] >= dims[i]) return -1;
            r = r * dims[i] + position[i];
        }
        return r;
    }

    public static double[] Conv(float[] x, int[] xDims, float[] w, int[] wDims, float[]? bias, int group,
        int[] strides, int[] dilations, int[] padsBegin, int[] outSpatial, float[]? residual = null,
        double min = double.NegativeInfinity, double max = double.PositiveInfinity)
    {
        int n = xDims[0], c = xDims[1], o = wDims[0], r = xDims.Length - 2;
        int cg = c / group, og = o / group;
        int[] inSpatial = xDims[2..], kernel = wDims[2..];
        int inPixels = Product(inSpatial), outPixels = Product(outSpatial), taps = Product(kernel);
        var y = new double[n * o * outPixels];
        var position = new int[r];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int op = 0; op < outPixels; op++)
                {
                    int[] outPos = Unravel(op, outSpatial);
                    int g = oc / og;
                    double acc = bias?[oc] ?? 0;
                    for (int ci = 0; ci < cg; ci++)
                        for (int t = 0; t < taps; t++)
                        {
                            int[] k = Unravel(t, kernel);
                            for (int i = 0; i < r; i++) position[i] = outPos[i] * strides[i] - padsBegin[i] + k[i] * dilations[i];
                            int ip = Ravel(position, inSpatial);
                            if (ip < 0) continue;
                            acc += (double)x[(b * c + g * cg + ci) * inPixels + ip] * w[(oc * cg + ci) * taps + t];
                        }
                    int index = (b * o + oc) * outPixels + op;
                    if (residual != null) acc += residual[index];
                    y[index] = Math.Min(Math.Max(acc, min), max);
                }
        return y;
    }

    public static double[] ConvTranspose(float[] x, int[] xDims, float[] w, int[] wDims, float[]? bias, int group,
        int[] strides, int[] dilations, int[] padsBegin, int[] outSpatial)
    {
        int n = xDims[0], c = xDims[1], og = wDims[1], o = og * group, cg = c / group, r = xDims.Length - 2;
        int[] inSpatial = xDims[2..], kernel = wDims[2..];
        int inPixels = Product(inSpatial), outPixels = Product(outSpatial), taps = Product(kernel);
        var y = new double[n * o * outPixels];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int p = 0; p < outPixels; p++) y[(b * o + oc) * outPixels + p] = bias?[oc] ?? 0;
        var position = new int[r];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < c; ci++)
                for (int ip = 0; ip < inPixels; ip++)
                {
                    int[] inPos = Unravel(ip, inSpatial);
                    int g = ci / cg;
                    for (int t = 0; t < taps; t++)
                    {
                        int[] k = Unravel(t, kernel);
                        for (int i = 0; i < r; i++) position[i] = inPos[i] * strides[i] - padsBegin[i] + k[i] * dilations[i];
                        int op = Ravel(position, outSpatial);
                        if (op < 0) continue;
                        for (int oc = 0; oc < og; oc++)
                            y[(b * o + g * og + oc) * outPixels + op] += (double)x[(b * c + ci) * inPixels + ip] * w[(ci * og + oc) * taps + t];
                    }
                }
        return y;
    }

    public static double[] Pool(float[] x, int[] xDims, bool max, int[] kernel, int[] strides, int[] dilations,
        int[] padsBegin, int[] padsEnd, int[] outSpatial, bool countIncludePad)
    {
        int planes = xDims[0] * xDims[1], r = xDims.Length - 2;
        int[] inSpatial = xDims[2..];
        int inPixels = Product(inSpatial), outPixels = Product(outSpatial), taps = Product(kernel);
        var y = new double[planes * outPixels];
        var position = new int[r];
        for (int plane = 0; plane < planes; plane++)
            for (int op = 0; op < outPixels; op++)
            {
                int[] outPos = Unravel(op, outSpatial);
                double acc = max ? double.NegativeInfinity : 0;
                int count = 0;
                for (int t = 0; t < taps; t++)
                {
                    int[] k = Unravel(t, kernel);
                    bool insidePadded = true;
                    for (int i = 0; i < r; i++)
                    {
                        position[i] = outPos[i] * strides[i] - padsBegin[i] + k[i] * dilations[i];
                        if (position[i] < -padsBegin[i] || position[i] >= inSpatial[i] + padsEnd[i]) insidePadded = false;
                    }
                    int ip = Ravel(position, inSpatial);
                    if (ip >= 0)
                    {
                        double v = x[plane * inPixels + ip];
                        acc = max ? Math.Max(acc, v) : acc + v;
                        if (!countIncludePad) count++;
                    }
                    if (countIncludePad && insidePadded) count++;
                }
                y[plane * outPixels + op] = max ? acc : acc / Math.Max(1, count);
            }
        return y;
    }

    /// <summary>Y = alpha * op(A) op(B) + beta * C, C broadcast from [cRows, cColumns].</summary>
    public static double[] Gemm(float[] a, float[] b, float[]? c, int cRows, int cColumns, int m, int n, int k,
        bool transA, bool transB, double alpha, double beta)
    {
        var y = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int p = 0; p < k; p++)
                    acc += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                double bias = c == null ? 0 : c[(cRows == 1 ? 0 : i) * cColumns + (cColumns == 1 ? 0 : j)];
                y[i * n + j] = alpha * acc + beta * bias;
            }
        return y;
    }

    /// <summary>Batched [.., M, K] x [.., K, N] with numpy broadcasting of the batch dims (no 1-D promotion).</summary>
    public static double[] BatchedMatMul(float[] a, int[] aDims, float[] b, int[] bDims, out int[] batch)
    {
        int m = aDims[^2], k = aDims[^1], n = bDims[^1];
        int rank = Math.Max(aDims.Length, bDims.Length) - 2;
        int[] aBatch = [.. Enumerable.Repeat(1, rank - (aDims.Length - 2)), .. aDims[..^2]];
        int[] bBatch = [.. Enumerable.Repeat(1, rank - (bDims.Length - 2)), .. bDims[..^2]];
        batch = aBatch.Zip(bBatch, Math.Max).ToArray();
        int count = Product(batch);
        var y = new double[count * m * n];
        for (int t = 0; t < count; t++)
        {
            int[] index = Unravel(t, batch);
            int ai = Ravel(index.Select((v, i) => aBatch[i] == 1 ? 0 : v).ToArray(), aBatch);
            int bi = Ravel(index.Select((v, i) => bBatch[i] == 1 ? 0 : v).ToArray(), bBatch);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += (double)a[(ai * m + i) * k + p] * b[(bi * k + p) * n + j];
                    y[(t * m + i) * n + j] = acc;
                }
        }
        return y;
    }
}
