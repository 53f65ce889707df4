namespace Journeys.Channels;

/// <summary>How an <see cref="SmsGatewayChannel"/> encodes its request body.</summary>
public enum SmsBodyFormat
{
    /// <summary><c>application/x-www-form-urlencoded</c>, as most HTTP SMS gateways take it (the default).</summary>
    Form,

    /// <summary>A flat JSON object of strings.</summary>
    Json,
}
