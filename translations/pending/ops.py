"""Japanese for the operability strings (error pages, kept form input)."""
T = {
    "Try again": "もう一度試す",
    "What you entered": "入力された内容",
    "Attached files cannot be kept; please choose them again: %(names)s":
        "添付ファイルは保持できません。もう一度選択してください：%(names)s",
    "If you think you should have access, ask your organisation's support service administrator.":
        "アクセスが必要な場合は、貴社のサポート サービス管理者にお問い合わせください。",
    "Nothing has been saved. Select the text below to copy it, reload the form and paste it in.":
        "内容は保存されていません。下の文字を選択してコピーし、フォームを再読み込みしてから貼り付けてください。",
    "Nothing has been saved. You can send it again, or select the text below to copy it.":
        "内容は保存されていません。もう一度送信するか、下の文字を選択してコピーしてください。",
    "Send again": "もう一度送信する",
    "The address may be mistyped, or the item may have been removed. Start again from the dashboard.":
        "アドレスが間違っているか、削除された可能性があります。ダッシュボードからやり直してください。",
    "The error has been recorded. If it keeps happening, contact the support desk and quote the reference below.":
        "このエラーは記録されました。繰り返し発生する場合は、下記の問い合わせ番号を添えてサポート窓口までご連絡ください。",
    "The portal cannot reach its database at the moment. This is usually over within a few minutes.":
        "現在、ポータルがデータベースに接続できません。通常は数分以内に復旧します。",
}
