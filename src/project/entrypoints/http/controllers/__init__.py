"""Route handlers: parse the request Struct, call one service, render a response Struct."""
