// The interop contract, as the services declare it: IInteropService in http://tempuri.org/, actions
// http://tempuri.org/IInteropService/{op}. Task-based on the client so that many sessions share few threads;
// the wire is the same as for synchronous methods.
using System.ServiceModel;

[ServiceContract(Namespace = "http://tempuri.org/", Name = "IInteropService")]
public interface IInteropService
{
    [OperationContract]
    Task<string> Echo(string text);

    [OperationContract]
    Task<string> Delay(int ms);

    [OperationContract]
    Task<string> Fault(string reason);

    // Spends `ms` of CPU in the service (the reference host has it; the stand-in answers ActionNotSupported).
    // Declared string: a string reads whatever text the result element holds.
    [OperationContract]
    Task<string> Burn(int ms);
}

// One operation with its argument, parsed from `echo:TEXT`, `delay:MS`, `burn:MS` or `fault:REASON`.
public readonly record struct Op(string Name, string Arg)
{
    public static Op? Parse(string s, bool allowFault)
    {
        int c = s.IndexOf(':');
        if (c <= 0) return null;
        var name = s[..c];
        var arg = s[(c + 1)..];
        bool numeric = name is "delay" or "burn";
        if (numeric && !(int.TryParse(arg, out var n) && n >= 0)) return null;
        if (name is "echo" || numeric || (allowFault && name is "fault")) return new Op(name, arg);
        return null;
    }

    public Task<string> Call(IInteropService channel) => Name switch
    {
        "echo" => channel.Echo(Arg),
        "delay" => channel.Delay(int.Parse(Arg)),
        "burn" => channel.Burn(int.Parse(Arg)),
        _ => channel.Fault(Arg),
    };

    // Whether a reply is the one this operation should get (echo returns its text; the others any result).
    public bool Expected(string result) => Name != "echo" || result == Arg;
}
