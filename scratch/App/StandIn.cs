namespace Warren.Generated
{
    internal static class WarrenContractDocuments
    {
        public const string AsyncApi = "{\"asyncapi\":\"3.0.0\"}\n";
        public const string Definitions = "{\"queues\":[]}\n";
        public const string Lock = "{\"lock\":1}\n";
    }
}
