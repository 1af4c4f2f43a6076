// Reads JSON lines on stdin, answers one JSON line each on stdout:
//   {"op":"read","session":"NAME","hex":"..."}   a binary-session message (StringTable + document) read by
//       XmlDictionaryReader.CreateBinaryReader -> {"ok":true,"xml":"..."} | {"ok":false,"error":"..."}
//   {"op":"write","session":"NAME","xml":"..."}  XML text written by XmlDictionaryWriter.CreateBinaryWriter,
//       every name, namespace and text the static dictionary holds as a DictionaryString, other names and
//       namespaces as session strings -> {"ok":true,"hex":"..."} (StringTable + document)
// Sessions are named so one process can play both directions of a connection; each keeps its strings
// across lines. The static dictionary (one string per line, id = 2 * line index) is the file given as
// --dictionary FILE.
using System.Text;
using System.Text.Json;
using System.Xml;

if (args.Length != 2 || args[0] != "--dictionary")
{
    Console.Error.WriteLine("usage: NbfxOracle --dictionary FILE < requests.jsonl");
    return 2;
}
var staticDictionary = new XmlDictionary();
foreach (var line in File.ReadAllLines(args[1])) staticDictionary.Add(line);

var readers = new Dictionary<string, (XmlBinaryReaderSession Session, int Count)>();
var writers = new Dictionary<string, (RecordingSession Session, XmlDictionary Names)>();

string? input;
while ((input = Console.In.ReadLine()) is not null)
{
    if (input.Trim().Length == 0) continue;
    object answer;
    try
    {
        using var doc = JsonDocument.Parse(input);
        var op = doc.RootElement.GetProperty("op").GetString();
        var name = doc.RootElement.TryGetProperty("session", out var s) ? s.GetString() ?? "" : "";
        answer = op switch
        {
            "read" => new { ok = true, xml = Read(name, Convert.FromHexString(doc.RootElement.GetProperty("hex").GetString()!)) },
            "write" => new { ok = true, hex = Convert.ToHexString(Write(name, doc.RootElement.GetProperty("xml").GetString()!)).ToLowerInvariant() },
            _ => throw new ArgumentException($"unknown op {op}"),
        };
    }
    catch (Exception e)
    {
        answer = new { ok = false, error = $"{e.GetType().Name}: {e.Message}" };
    }
    Console.Out.WriteLine(JsonSerializer.Serialize(answer));
}
return 0;

static int ReadMbint(byte[] b, ref int pos)
{
    int value = 0;
    for (int i = 0; i < 5; i++)
    {
        byte x = b[pos++];
        value |= (x & 0x7f) << (7 * i);
        if ((x & 0x80) == 0) return value;
    }
    throw new FormatException("MultiByteInt31 too long");
}

static void WriteMbint(Stream s, int value)
{
    while (value >= 0x80)
    {
        s.WriteByte((byte)((value & 0x7f) | 0x80));
        value >>= 7;
    }
    s.WriteByte((byte)value);
}

string Read(string name, byte[] message)
{
    if (!readers.TryGetValue(name, out var r)) r = (new XmlBinaryReaderSession(), 0);
    int pos = 0;
    int size = ReadMbint(message, ref pos);
    int end = pos + size;
    // A session string's wire id is 2 * key + 1; keys count up from 0 in the order the tables bring them.
    while (pos < end)
    {
        int len = ReadMbint(message, ref pos);
        r.Session.Add(r.Count++, Encoding.UTF8.GetString(message, pos, len));
        pos += len;
    }
    readers[name] = r;
    using var reader = XmlDictionaryReader.CreateBinaryReader(message, end, message.Length - end, staticDictionary, XmlDictionaryReaderQuotas.Max, r.Session);
    var sb = new StringBuilder();
    using (var w = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, ConformanceLevel = ConformanceLevel.Fragment }))
    {
        w.WriteNode(reader, true);
    }
    return sb.ToString();
}

byte[] Write(string name, string xml)
{
    if (!writers.TryGetValue(name, out var wr))
    {
        wr = (new RecordingSession(), new XmlDictionary());
        writers[name] = wr;
    }
    XmlDictionaryString Dict(string s) =>
        staticDictionary.TryLookup(s, out var d) ? d : wr.Names.Add(s);
    var body = new MemoryStream();
    using (var w = XmlDictionaryWriter.CreateBinaryWriter(body, staticDictionary, wr.Session, false))
    using (var r = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { IgnoreWhitespace = false }))
    {
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Element:
                    w.WriteStartElement(r.Prefix, Dict(r.LocalName), Dict(r.NamespaceURI));
                    bool empty = r.IsEmptyElement;
                    if (r.MoveToFirstAttribute())
                    {
                        do
                        {
                            if (r.Prefix == "xmlns") w.WriteXmlnsAttribute(r.LocalName, Dict(r.Value));
                            else if (r.Prefix == "" && r.LocalName == "xmlns") w.WriteXmlnsAttribute("", Dict(r.Value));
                            else
                            {
                                w.WriteStartAttribute(r.Prefix, Dict(r.LocalName), Dict(r.NamespaceURI));
                                if (staticDictionary.TryLookup(r.Value, out var dv)) w.WriteString(dv);
                                else w.WriteString(r.Value);
                                w.WriteEndAttribute();
                            }
                        } while (r.MoveToNextAttribute());
                        r.MoveToElement();
                    }
                    if (empty) w.WriteEndElement();
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (staticDictionary.TryLookup(r.Value, out var dt)) w.WriteString(dt);
                    else w.WriteString(r.Value);
                    break;
                case XmlNodeType.EndElement:
                    w.WriteEndElement();
                    break;
            }
        }
    }
    var message = new MemoryStream();
    var table = new MemoryStream();
    foreach (var s in wr.Session.TakeAdded())
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        WriteMbint(table, bytes.Length);
        table.Write(bytes);
    }
    WriteMbint(message, (int)table.Length);
    table.WriteTo(message);
    body.WriteTo(message);
    return message.ToArray();
}

// Remembers the strings the binary writer adds to its session, in order, for the next StringTable.
sealed class RecordingSession : XmlBinaryWriterSession
{
    private readonly List<string> _added = new();

    public override bool TryAdd(XmlDictionaryString value, out int key)
    {
        if (!base.TryAdd(value, out key)) return false;
        _added.Add(value.Value);
        return true;
    }

    public List<string> TakeAdded()
    {
        var list = new List<string>(_added);
        _added.Clear();
        return list;
    }
}
