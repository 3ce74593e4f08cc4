using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Atc.Fuzz.Mutation;

/// <summary>
/// Field-level mutations of any generated Google.Protobuf message, through its reflection descriptors: numbers and
/// dims set to boundary values, dtypes (enums) to unknown codes, bytes (tensor contents) cut or grown, repeated fields
/// (nodes, inputs, dims, initializers) shortened, duplicated or reordered, oneof members switched (an attribute's
/// type), and strings (node names, node inputs: the graph's edges) rewired to other names of the same model.
/// </summary>
public static class ProtoFieldMutator
{
    private const int MaxSites = 50_000;

    private sealed record Site(IMessage Owner, FieldDescriptor Field, string Path);

    public static void Mutate(IMessage root, Random rng, List<string> log)
    {
        var sites = new List<Site>();
        var names = new List<string>();
        Collect(root, "", sites, names);
        if (sites.Count == 0) return;
        // Pick a kind of field first, then a field of that kind: a model's few dtype enums and dims would otherwise
        // drown among its many strings and tensors.
        var kinds = sites.GroupBy(s => s.Field.IsMap ? "map" : s.Field.IsRepeated ? "repeated " + s.Field.FieldType : s.Field.FieldType.ToString())
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var site = rng.Pick(rng.Pick(kinds).ToList());
        string what = site.Field.IsMap ? MutateMap(site, rng, names)
            : site.Field.IsRepeated ? MutateRepeated(site, rng, names)
            : site.Field.ContainingOneof is { } oneof && rng.Next(3) == 0 ? SwitchOneof(site.Owner, oneof, rng, names)
            : MutateSingular(site, rng, names);
        log.Add($"{site.Path}: {what}");
    }

    private static void Collect(IMessage message, string path, List<Site> sites, List<string> names)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (sites.Count >= MaxSites) return;
            string here = path + "/" + field.Name;
            var value = field.Accessor.GetValue(message);
            sites.Add(new Site(message, field, here));
            if (field.IsMap)
            {
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    if (entry.Key is string key) names.Add(key);
                    if (entry.Value is IMessage child) Collect(child, here + "[" + entry.Key + "]", sites, names);
                }
            }
            else if (field.IsRepeated)
            {
                int i = 0;
                foreach (var item in (IList)value)
                {
                    if (item is IMessage child) Collect(child, here + "[" + i + "]", sites, names);
                    else if (item is string s) names.Add(s);
                    i++;
                }
            }
            else if (value is IMessage child && (field.ContainingOneof is null || field.ContainingOneof.Accessor.GetCaseFieldDescriptor(message) == field))
            {
                Collect(child, here, sites, names);
            }
            else if (value is string s && s.Length > 0)
            {
                names.Add(s);
            }
        }
    }

    private static string MutateSingular(Site site, Random rng, List<string> names)
    {
        var field = site.Field;
        var current = field.Accessor.GetValue(site.Owner);
        if (field.FieldType == FieldType.Message)
        {
            if (rng.Next(2) == 0 || current is null) { field.Accessor.Clear(site.Owner); return "cleared"; }
            field.Accessor.SetValue(site.Owner, NewMessage(field));
            return "replaced by an empty message";
        }
        var value = NewScalar(field, current, rng, names);
        field.Accessor.SetValue(site.Owner, value);
        return "set to " + Describe(value);
    }

    private static string MutateRepeated(Site site, Random rng, List<string> names)
    {
        var list = (IList)site.Field.Accessor.GetValue(site.Owner);
        int choice = rng.Next(7);
        if (list.Count == 0 || choice == 0)
        {
            var added = site.Field.FieldType == FieldType.Message ? NewMessage(site.Field) : NewScalar(site.Field, null, rng, names);
            list.Insert(list.Count == 0 ? 0 : rng.Next(list.Count + 1), added);
            return "inserted " + Describe(added);
        }
        int at = rng.Next(list.Count);
        switch (choice)
        {
            case 1:
                list.RemoveAt(at);
                return $"removed [{at}]";
            case 2:
                var copy = list[at] is IMessage m ? m.Descriptor.Parser.ParseFrom(m.ToByteArray()) : list[at];
                list.Insert(rng.Next(list.Count + 1), copy);
                return $"duplicated [{at}]";
            case 3:
                int other = rng.Next(list.Count);
                (list[at], list[other]) = (list[other], list[at]);
                return $"swapped [{at}] and [{other}]";
            case 4 when list.Count > 1:
                int keep = rng.Next(list.Count);
                while (list.Count > keep) list.RemoveAt(list.Count - 1);
                return $"truncated to {keep}";
            default:
                if (site.Field.FieldType == FieldType.Message)
                {
                    list[at] = NewMessage(site.Field);
                    return $"[{at}] replaced by an empty message";
                }
                list[at] = NewScalar(site.Field, list[at], rng, names);
                return $"[{at}] set to {Describe(list[at])}";
        }
    }

    private static string MutateMap(Site site, Random rng, List<string> names)
    {
        var map = (IDictionary)site.Field.Accessor.GetValue(site.Owner);
        var keys = map.Keys.Cast<object>().ToList();
        if (keys.Count > 0 && rng.Next(2) == 0)
        {
            var key = rng.Pick(keys);
            map.Remove(key);
            return $"removed key {key}";
        }
        if (keys.Count > 0 && rng.Next(2) == 0 && keys[0] is string)
        {
            // An attribute moved to another name: the right value under the wrong key.
            var from = rng.Pick(keys);
            var to = names.Count > 0 ? rng.Pick(names) : "x";
            var value = map[from];
            map.Remove(from);
            map[to] = value;
            return $"renamed key {from} to {to}";
        }
        var valueField = site.Field.MessageType.FindFieldByNumber(2);
        if (keys.Count > 0 && valueField.FieldType == FieldType.Message)
        {
            var key = rng.Pick(keys);
            map[key] = NewMessage(valueField);
            return $"value of {key} replaced by an empty message";
        }
        return "unchanged";
    }

    private static string SwitchOneof(IMessage owner, OneofDescriptor oneof, Random rng, List<string> names)
    {
        var target = oneof.Fields[rng.Next(oneof.Fields.Count)];
        object value = target.FieldType == FieldType.Message ? NewMessage(target) : NewScalar(target, null, rng, names);
        if (target.IsRepeated) return "unchanged";
        target.Accessor.SetValue(owner, value);
        return $"oneof {oneof.Name} switched to {target.Name} = {Describe(value)}";
    }

    private static IMessage NewMessage(FieldDescriptor field)
    {
        var type = field.IsMap ? field.MessageType.FindFieldByNumber(2).MessageType : field.MessageType;
        return (IMessage)Activator.CreateInstance(type.ClrType)!;
    }

    private static object NewScalar(FieldDescriptor field, object? current, Random rng, List<string> names)
    {
        long interesting = rng.Next(3) == 0 && AsInt64(current) is { } near ? unchecked(near + rng.Next(-2, 3)) : rng.Interesting();
        switch (field.FieldType)
        {
            case FieldType.Int32: case FieldType.SInt32: case FieldType.SFixed32: return unchecked((int)interesting);
            case FieldType.UInt32: case FieldType.Fixed32: return unchecked((uint)interesting);
            case FieldType.Int64: case FieldType.SInt64: case FieldType.SFixed64: return interesting;
            case FieldType.UInt64: case FieldType.Fixed64: return unchecked((ulong)interesting);
            case FieldType.Bool: return current is bool b ? !b : true;
            case FieldType.Float: return rng.Pick(new[] { float.NaN, float.PositiveInfinity, -0f, 1e30f, -1f, float.Epsilon, (float)interesting });
            case FieldType.Double: return rng.Pick(new[] { double.NaN, double.NegativeInfinity, 1e300, -1.0, (double)interesting });
            case FieldType.Enum:
                // Known codes, "_REF" codes (TensorFlow's 101..), and huge values that arithmetic on codes gets wrong.
                int code = rng.Next(4) switch
                {
                    0 => rng.Next(32),
                    1 => 101 + rng.Next(30),
                    2 => unchecked((int)interesting),
                    _ => rng.Pick(new[] { 1 << 30, int.MaxValue, 1 << 24, -1, int.MinValue, 1000 }),
                };
                return Enum.ToObject(field.EnumType.ClrType, code);
            case FieldType.String: return MutateString(current as string ?? "", rng, names);
            case FieldType.Bytes: return MutateBytes(current as ByteString ?? ByteString.Empty, rng);
            default: return current ?? 0;
        }
    }

    private static long? AsInt64(object? value) => value switch
    {
        int i => i,
        long l => l,
        uint u => u,
        ulong u => unchecked((long)u),
        Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string MutateString(string current, Random rng, List<string> names) => rng.Next(7) switch
    {
        0 => "",
        1 when names.Count > 0 => rng.Pick(names),
        2 when names.Count > 0 => "^" + rng.Pick(names),
        3 when names.Count > 0 => rng.Pick(names) + ":" + rng.Pick(new[] { "1", "2", "99", "-1", "2147483648", "" }),
        4 when current.Length > 0 => current[..rng.Next(current.Length)],
        5 => current + rng.Pick(new[] { "\0", "/", ":", ";", ",", " ", "é", new string('a', 300) }),
        _ => rng.Pick(new[] { "NCHW", "NHWC", "ND", "SAME", "VALID", "EXPLICIT", "float", "x", "Const", "MaxPool", "Placeholder", "Identity" }),
    };

    private static ByteString MutateBytes(ByteString current, Random rng)
    {
        var bytes = current.ToByteArray();
        switch (rng.Next(4))
        {
            case 0: return ByteString.Empty;
            case 1 when bytes.Length > 0: return ByteString.CopyFrom(bytes, 0, rng.Next(bytes.Length));
            case 2:
                var grown = new byte[bytes.Length + 1 + rng.Next(64)];
                bytes.CopyTo(grown, 0);
                rng.NextBytes(grown.AsSpan(bytes.Length));
                return ByteString.CopyFrom(grown);
            default:
                if (bytes.Length > 0) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8));
                return ByteString.CopyFrom(bytes);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => "\"" + (s.Length > 40 ? s[..40] + "…" : s) + "\"",
        ByteString b => b.Length + " bytes",
        IMessage m => m.Descriptor.Name + "{}",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
