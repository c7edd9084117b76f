//! A stand-in for `fetch` in browser tests: it records every request and answers from a
//! script, so the fetch layer's retries, paging and operation following can be checked.

/// Replaces `fetch`: each request is recorded (`METHOD url authorization`) and answered with
/// the next of `answers`, each `[status, headers, body]`.
pub fn script(answers: serde_json::Value) {
    js_sys::eval(&format!(
        r#"
        window.sent = [];
        const answers = {answers};
        window.fetch = async request => {{
            window.sent.push(request.method + ' ' + request.url + ' ' + request.headers.get('Authorization'));
            const [status, headers, body] = answers.shift();
            return new Response(status === 204 ? null : JSON.stringify(body), {{ status, headers }});
        }};
        "#
    ))
    .unwrap();
}

/// The requests sent since the last [`script`], in order.
pub fn sent() -> Vec<String> {
    let sent = js_sys::eval("window.sent").unwrap();
    js_sys::Array::from(&sent)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

/// An ARM error body with `code`.
pub fn error(code: &str) -> serde_json::Value {
    serde_json::json!({"error": {"code": code, "message": format!("{code} happened")}})
}
