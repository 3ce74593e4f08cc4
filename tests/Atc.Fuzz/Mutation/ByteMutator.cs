using System.Buffers.Binary;

namespace Atc.Fuzz.Mutation;

/// <summary>Format-blind mutations of a file's bytes: flips, interesting values, truncation, insertion, deletion, splice.</summary>
public static class ByteMutator
{
    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> donors, Random rng, List<string> log)
    {
        var bytes = new List<byte>(input);
        int kind = rng.Next(8);
        int at = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
        switch (kind)
        {
            case 0 when bytes.Count > 0:
                int bit = rng.Next(8);
                bytes[at] ^= (byte)(1 << bit);
                log.Add($"flip bit {bit} at {at}");
                break;
            case 1 when bytes.Count > 0:
                byte value = (byte)rng.Next(256);
                bytes[at] = value;
                log.Add($"set byte {at} = {value}");
                break;
            case 2 when bytes.Count > 0:
                int keep = rng.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                log.Add($"truncate to {keep}");
                break;
            case 3:
                var inserted = new byte[1 + rng.Next(16)];
                rng.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                log.Add($"insert {inserted.Length} random bytes at {at}");
                break;
            case 4 when bytes.Count > 0:
                int count = Math.Min(bytes.Count - at, 1 + rng.Next(32));
                bytes.RemoveRange(at, count);
                log.Add($"delete {count} bytes at {at}");
                break;
            case 5 when bytes.Count >= 8:
                // A little-endian or varint-looking integer overwritten by a boundary value.
                at = rng.Next(bytes.Count - 7);
                long interesting = rng.Interesting();
                var span = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(span, interesting);
                int width = rng.Pick(new[] { 1, 2, 4, 8 });
                for (int i = 0; i < width; i++) bytes[at + i] = span[i];
                log.Add($"write {width}-byte {interesting} at {at}");
                break;
            case 6 when donors.Count > 0:
                var donor = rng.Pick(donors);
                if (donor.Length == 0) break;
                int from = rng.Next(donor.Length);
                int length = Math.Min(donor.Length - from, 1 + rng.Next(256));
                int cut = bytes.Count == 0 ? 0 : rng.Next(bytes.Count);
                bytes.RemoveRange(cut, Math.Min(bytes.Count - cut, rng.Next(length + 1)));
                bytes.InsertRange(cut, donor.Skip(from).Take(length));
                log.Add($"splice {length} bytes of another seed at {cut}");
                break;
            default:
                if (bytes.Count < 2) break;
                int a = rng.Next(bytes.Count), b = rng.Next(bytes.Count);
                (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                log.Add($"swap bytes {a} and {b}");
                break;
        }
        return bytes.ToArray();
    }
}
