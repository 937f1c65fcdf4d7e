# Long verbatim seed sentences are kept one per line.
# ruff: noqa: E501
"""Seed wording (Japanese, verbatim) with English translations for the bilingual portal.

Pure data, no logic. Japanese strings are copied from the seeds with the PDF line wraps
joined (and footnote markers dropped); shortened only where noted. Names in the seeds
(マイクロソフト / Microsoft, ＪＢＣＣ / JBCC, 本会社 = the Customer, 当社 = we) are kept as written.

Sources
  SD = seeds/000_33b34d92cfef351e.txt  Microsoft Unified Enterprise Support services description
  TC = seeds/003_0e2afb040c59c8eb.txt  JBCC cloud software service terms (Azure edition)

  SEVERITY_TERM, SEVERITIES ........ SD 2.2, リアクティブ サービス, インシデント対応表 (base package
                                     table; the seed says 深刻度, not 重大度)
  SEVERITY_NOTES ................... SD 2.2, paragraphs before the table and footnotes 1-4
  QA_REQUEST, INCIDENT_REQUEST ..... TC [7]1, [7]2, [8]1 (no severities or Q&A target exist in TC)
  OUT_OF_SCOPE_INTRO / _EXCLUSIONS . TC [10] (1)-(20)
  OUT_OF_SCOPE_NOTE ................ TC [9]5
  BACKUP_SERVICES, BACKUP_HOURS .... TC [7]5 ①-③, [8]2, [8]3
  PACKAGE_LEGEND, PACKAGE_ITEMS .... SD 2.1 legend, 2.2 tables, 2.3 table ("+" glyph is missing in
                                     the extracted text; non-✓ rows are the "+" purchasable ones)
  TERMS_SERVICE_ITEMS .............. TC [7]1-6, [16], [17]
  ROLES, CONTACT_CHANGE_NOTICE ..... SD 2.6 (and 2.2 顧客組織の有効化), TC [9]2
  CONFIDENTIALITY_NOTICE ........... SD 2.3 サイバーセキュリティ強化ソリューション, last bullet of 貴社の責任
  CANCELLATION_RULE ................ SD 2.5 (plus the related 2.5 / 2.6 bullets)
  TERMS_SECTIONS ................... TC [8], [9]1-3, [9]6, [13]1-2, [17]2; SD 2.2 footnote 4
  RECORDING_NOTICE ................. SD 2.2 教育サービス, ワークショップ
  ON_DEMAND_EDUCATION .............. SD 2.2 教育サービス, オンデマンド エデュケーション and Web キャスト
  OUTBRIEF ......................... SD 2.3 サイバーセキュリティ強化ソリューション, 成果物
"""
from __future__ import annotations

# --- 1. Severities (SD 2.2) ------------------------------------------------------------------

SEVERITY_TERM = {"ja": "深刻度", "en": "Severity"}

SEVERITY_TABLE_HEADERS = {
    "ja": ("深刻度および状況", "MS の対応予定", "本会社の対応予定"),
    "en": ("Severity and situation", "Microsoft's expected response", "Customer's expected response"),
}

SEVERITIES = (
    {"code": "1", "ja_name": "深刻度 1", "en_name": "Severity 1",
     "ja_meaning": "重要なビジネスシステムのダウン: 事業上のリスクの発生。重要なアプリケーションやソリューションの完全な喪失。",
     "en_meaning": "Critical business system down: business risk has arisen; complete loss of a critical application or solution.",
     "ja_urgency": "即時の対応が必要", "en_urgency": "Immediate response required",
     "ja_response": "Azure コンポーネント - 最初の電話連絡から 15 分以内に対応開始。その他すべての製品とサービス - 最初の電話連絡から 1 時間以内に対応開始。",
     "en_response": "Azure components: response starts within 15 minutes of the first call. All other products and services: response starts within 1 hour of the first call.",
     "ja_provider_duty": "クリティカル シチュエーション リソースの割当。無休体制で対応。マイクロソフト製品開発グループへの迅速なエスカレーション。必要に応じて、マイクロソフトの上級管理職への通知と報告。",
     "en_provider_duty": "Assignment of a critical situation resource. Continuous effort, around the clock. Rapid escalation to Microsoft product development groups. Notification of and reporting to Microsoft senior management as needed.",
     "ja_customer_duty": "マイクロソフトの要請に応じて、本会社の上級管理職との適切な連絡。無休体制で作業を続けるために適切な人的資源の確保。迅速なアクセスと対応。電話、Web による支援要請。",
     "en_customer_duty": "Appropriate contact with the Customer's senior management at Microsoft's request. Allocation of appropriate resources to sustain continuous effort around the clock. Rapid access and response. Requests for assistance by phone or web."},
    {"code": "A", "ja_name": "深刻度 A", "en_name": "Severity A",
     "ja_meaning": "重要なビジネスシステムの劣化: 事業に相当の損失が発生し、断続的に業務遂行プロセスが停止する時",
     "en_meaning": "Critical business system degraded: significant business loss, with business processes halting intermittently.",
     "ja_urgency": "1 時間以内に対応が必要", "en_urgency": "Response required within 1 hour",
     "ja_response": "最初の電話連絡から 1 時間以内に対応開始",
     "en_response": "Response starts within 1 hour of the first call.",
     "ja_provider_duty": "クリティカル シチュエーションの監視。無休体制で対応。",
     "en_provider_duty": "Critical situation monitoring. Continuous effort, around the clock.",
     "ja_customer_duty": "無休体制で作業を続けるために適切な人的資源の確保。迅速なアクセスと対応。電話、Web による支援要請。",
     "en_customer_duty": "Allocation of appropriate resources to sustain continuous effort around the clock. Rapid access and response. Requests for assistance by phone or web."},
    {"code": "B", "ja_name": "深刻度 B", "en_name": "Severity B",
     "ja_meaning": "事業に中程度の影響が発生する場合: 業務に中程度の部分的な損失が発生し、サービスの質が低下するが、業務自体は不十分な状態ながら継続可能である",
     "en_meaning": "Moderate business impact: moderate, partial loss of business and degraded service quality, but work can continue in an impaired state.",
     "ja_urgency": "2 営業時間内に対応が必要", "en_urgency": "Response required within 2 business hours",
     "ja_response": "最初の電話連絡から 2 時間以内に対応開始",
     "en_response": "Response starts within 2 hours of the first call.",
     "ja_provider_duty": "営業時間内のみ対応を実施",
     "en_provider_duty": "Handled during business hours only.",
     "ja_customer_duty": "マイクロソフトの対応に合わせて適切な人的資源を確保。営業時間内のシステム構成変更を含む各種作業実施に対して、適切な権限を有する承認者の指名と連絡手段の確保、ならびに作業に要する権限のマイクロソフトに対する提供。電話、Web による支援要請。",
     "en_customer_duty": "Allocation of appropriate resources to match Microsoft's effort. For work done during business hours, including system configuration changes: naming an approver with appropriate authority and a way to reach them, and granting Microsoft the permissions the work requires. Requests for assistance by phone or web."},
    {"code": "C", "ja_name": "深刻度 C", "en_name": "Severity C",
     "ja_meaning": "事業に軽微な影響が及ぶ場合: サービスへの支障がわずかであるか、またはまったくない状態で実質的に業務は機能している",
     "en_meaning": "Minimal business impact: the business is substantially functioning, with little or no impediment to services.",
     "ja_urgency": "4 営業時間内に対応が必要", "en_urgency": "Response required within 4 business hours",
     "ja_response": "最初の電話連絡から 4 時間以内に対応開始",
     "en_response": "Response starts within 4 hours of the first call.",
     "ja_provider_duty": "営業時間内のみ対応を実施",
     "en_provider_duty": "Handled during business hours only.",
     "ja_customer_duty": "問題の当事者の正確な連絡先情報。マイクロソフトからの要請等に対して、24 時間以内に対応可能な体制を確立。電話、Web による支援要請。",
     "en_customer_duty": "Accurate contact information for the person responsible for the issue. Be able to respond to requests from Microsoft within 24 hours. Requests for assistance by phone or web."},
)

SEVERITY_NOTES = {
    "assignment": {
        "ja": "インシデントの深刻度に応じて、マイクロソフトの対応レベル、およその対応開始時間および本会社に求められる対応が決まります。本会社は、本会社の組織に対する業務上の影響について説明する責任を負います。また、本会社とマイクロソフトの協議のうえで、マイクロソフトは適切な深刻度を割り当てます。業務上の影響により深刻度の変更が必要な場合には、本会社は、インシデントの期間中にかかる変更を要請することができます。",
        "en": "The severity of an incident determines Microsoft's level of response, the approximate response start time and what is expected of the Customer. The Customer is responsible for describing the business impact on its organisation, and Microsoft assigns the appropriate severity after consulting the Customer. If the business impact calls for a different severity, the Customer may request the change while the incident is open."},
    "response_start_definition": {
        "ja": "「最初の電話連絡から～以内に対応開始」という語は、電話や E メールを介した非自動的な最初の連絡であると定義されます。",
        "en": "\"Response starts within ... of the first call\" is defined as the first non-automated contact, by phone or e-mail."},
    "azure_exceptions": {  # footnote 1
        "ja": "記載されている Azure コンポーネントの応答時間は、Azure StorSimple、GitHub AE、Azure Communication Services、課金/サブスクリプション管理には適用されません。",
        "en": "The Azure component response times shown do not apply to Azure StorSimple, GitHub AE, Azure Communication Services, or billing/subscription management."},
    "critical_situation": {  # footnote 2
        "ja": "クリティカル シチュエーション スタッフは、事例対応、エスカレーション、人員配備および調整を通じて問題の迅速な解決を実現するための支援を提供します。",
        "en": "Critical situation staff help bring about a rapid resolution through case handling, escalation, staffing and coordination."},
    "downgrade": {  # footnote 3
        "ja": "本会社が上記表に基づく「本会社の対応」を満足に実施できないとマイクロソフトが合理的に判断する場合には、深刻度が引き下げられることがあり得ます。",
        "en": "If Microsoft reasonably determines that the Customer cannot satisfactorily carry out the \"Customer's expected response\" in the table above, the severity may be lowered."},
    "business_hours": {  # footnote 4
        "ja": "営業時間は通常、現地標準時で 9:00 ～ 17:30 となりますが、休日と週末は除きます。営業時間は国によって異なることがあります。",
        "en": "Business hours are normally 9:00 to 17:30 local standard time, excluding holidays and weekends. Business hours may vary by country."},
    "after_hours_extension": {
        "ja": "リアクティブ サポート管理時間を追加購入することで、対応時間を営業時間外にまで拡大することができます。",
        "en": "Coverage can be extended outside business hours by purchasing additional reactive support management hours."},
}

# Q&A and incident requests as the terms describe them (TC [7]1, [7]2, [8]1).
# NOTE: neither seed states a response target for Q&A; rules.md's "1 business day" is a product decision.
QA_REQUEST = {
    "ja_name": "Q&Aサービス", "en_name": "Q&A service",
    "ja_description": "対象ソフトウェアの操作・運用に関するお問い合わせについて、回答します。お問い合わせは、JBCCの「ソリューション・マネージメント・アンド・アクセス・センター（SMAC）」にて、メールで受け付けます。",
    "en_description": "We answer inquiries about the operation and use of the Target Software. Inquiries are accepted by e-mail at JBCC's Solution Management and Access Center (SMAC).",
    "ja_response": "Q&Aサービスに基づくＪＢＣＣの回答は、次のとおりとします。平日 月曜日-金曜日 9:00-17:00 （土日、祝日、年末年始<12/30-1/4>、ＪＢＣＣの休業日を除く）",
    "en_response": "JBCC answers under the Q&A service on weekdays, Monday to Friday, 9:00-17:00 (excluding Saturdays, Sundays, public holidays, the year-end/New Year period <12/30-1/4> and JBCC's closure days).",
}

INCIDENT_REQUEST = {
    "ja_name": "障害対応", "en_name": "Incident handling",
    "ja_description": "対象ソフトウェアに障害が発生した場合に、リモートで次の対応を実施します。なお、障害対応依頼は、JBCCの「ソリューション・マネージメント・アンド・アクセス・センター（SMAC）」にて、メールで受け付けます。",
    "en_description": "When a failure occurs in the Target Software, we carry out the following remotely. Incident requests are accepted by e-mail at JBCC's Solution Management and Access Center (SMAC).",
    "steps": (
        {"ja": "問題判別に必要な情報収集", "en": "Collecting the information needed to identify the problem"},
        {"ja": "問題の一次切り分け", "en": "First-level isolation of the problem"},
        {"ja": "障害復旧支援", "en": "Recovery support"},
    ),
}

# --- 2. Out of scope (TC [10], [9]5) ---------------------------------------------------------

OUT_OF_SCOPE_INTRO = {
    "ja": "各サポートサービスには以下の各号に関するサポートは含まれません。",
    "en": "The support services do not include support for any of the following.",
}

OUT_OF_SCOPE_EXCLUSIONS = (
    {"no": 1, "key": "other_software_or_hardware", "ja": "対象ソフトウェア以外の他のプログラム、ソフトウェアもしくはハードウェア機器等に関する対応、またはそれらとの組合せに起因する対応。", "en": "Handling of programs, software or hardware other than the Target Software, or of issues caused by combining the Target Software with them."},
    {"no": 2, "key": "unidentifiable_subject", "ja": "対応依頼ないし問合せの対象の判別が困難な依頼ないし問合せへの対応。", "en": "Requests or inquiries whose subject is difficult to identify."},
    {"no": 3, "key": "end_of_support_software_or_guest_os", "ja": "ソフトウェア権利者またはクラウドベンダーによるサポート期間が終了した対象ソフトウェアないしゲストＯＳに関する対応。", "en": "Target Software or guest OSes whose support period from the software rights holder or cloud vendor has ended."},
    {"no": 4, "key": "causes_not_attributable_to_provider", "ja": "インターネット通信回線の障害等ＪＢＣＣの責によらざる事由の障害原因分析およびこれにより生じた対象ソフトウェアの稼動の障害対応。", "en": "Root-cause analysis of failures due to causes not attributable to JBCC, such as Internet line failures, and handling of the resulting Target Software operating failures."},
    {"no": 5, "key": "operating_environment_causes", "ja": "稼働環境および稼働環境に接続または連動されたコンピューターおよびソフトウェア等に起因する事由による対象ソフトウェアの障害対応。", "en": "Handling of Target Software failures caused by the operating environment, or by computers, software, etc. connected to or linked with it."},
    {"no": 6, "key": "addons_customization_training_integration", "ja": "対象ソフトウェアのアドオンやカスタマイズ等に関する操作、運用に関するお問合せ対応および情報提供、ならびにトレーニング、カスタマイズ、インテグレーションの提供。", "en": "Answering inquiries and providing information on the operation and use of add-ons, customizations, etc. of the Target Software, and providing training, customization or integration."},
    {"no": 7, "key": "unsupported_use_or_license_overuse", "ja": "対象ソフトウェア所定の使用環境・使用方法以外の環境で使用または利用をした場合、ならびにソフトウェアサービスにおいて認められた使用許諾の範囲を超えた使用または利用をした場合の復旧支援や、これにより増加したサービスにかかる対応", "en": "Recovery support where the Target Software was used outside its prescribed environment or method of use, or beyond the scope of the license granted under the Software Service, and any additional service work this causes."},
    {"no": 8, "key": "third_party_modification", "ja": "ＪＢＣＣ以外の者による対象ソフトウェア等の複製、改変、翻案、補修・改訂等に起因する対応。", "en": "Issues caused by copying, modification, adaptation, repair or revision of the Target Software etc. by anyone other than JBCC."},
    {"no": 9, "key": "customer_business_or_inhouse_systems", "ja": "お客様の業務内容、システム構築、開発、その他お客様の社内環境に関連する復旧支援等の対応。", "en": "Recovery support and similar work relating to the customer's business, system building, development or other in-house environment."},
    {"no": 10, "key": "code_tracing", "ja": "コーディング等、プログラムを追跡調査が必要となる対応。", "en": "Work that requires tracing through program code, such as coding."},
    {"no": 11, "key": "onsite_support", "ja": "オンサイトサポートが必要なトラブル対応。", "en": "Troubleshooting that requires on-site support."},
    {"no": 12, "key": "separately_contracted_services", "ja": "対象ソフトウェアを利用するためにお客様が別途契約したサービスに関する問合せ対応および情報提供。", "en": "Answering inquiries and providing information about services the customer contracted separately in order to use the Target Software."},
    {"no": 13, "key": "guest_os_user_data_recovery", "ja": "ゲストOS上のユーザーデータの復旧支援。", "en": "Support for recovering user data on the guest OS."},
    {"no": 14, "key": "trace_and_performance_analysis", "ja": "通信トレースの解析やパフォーマンス測定結果の分析。", "en": "Analysis of network traces or of performance measurement results."},
    {"no": 15, "key": "system_design_and_build", "ja": "対象ソフトウェアおよびこの利用に伴うシステムのサイジング・ネットワーク・セキュリティなどのシステム設計／構築作業", "en": "System design and build work, such as sizing, networking and security, for the Target Software and the systems used with it."},
    {"no": 16, "key": "configuration_changes", "ja": "対象ソフトウェアに対する構成変更。", "en": "Configuration changes to the Target Software."},
    {"no": 17, "key": "infrastructure_upgrades", "ja": "インフラのバージョンアップ作業。", "en": "Infrastructure version upgrade work."},
    {"no": 18, "key": "infrastructure_functionality", "ja": "インフラ環境自体の機能に関する問題。", "en": "Problems with the functionality of the infrastructure environment itself."},
    {"no": 19, "key": "network_hardware_os_middleware_failures", "ja": "ネットワーク、ハードウェア、オペレーティングシステムやミドルウェアの障害に対するサービス。", "en": "Services for failures of networks, hardware, operating systems or middleware."},
    {"no": 20, "key": "new_instances_in_dedicated_account", "ja": "お客様専用としてＪＢＣＣが発行したアカウントにおいて、新たに作成ないし利用を開始したインスタンスやサービスに対するテクニカルサポートないしオプションサポート。", "en": "Technical or optional support for instances or services newly created or brought into use in an account JBCC issued for the customer's exclusive use."},
)

OUT_OF_SCOPE_NOTE = {  # TC [9]5 (the seed mixes "JBCC" and "ＪＢＣＣ"; kept as written)
    "ja": "実施されたサポートサービスが対象ソフトウェア以外のソフトウェア、機器等に起因しあるいはお客様または第三者の責に帰すべき事由によるものであった場合は、お客様は、JBCCからの請求に従い、ＪＢＣＣ所定の基準に基づく料金ないし費用を支払うものとします。",
    "en": "If support provided turns out to have been caused by software or equipment other than the Target Software, or by reasons attributable to the customer or a third party, the customer shall pay, as invoiced by JBCC, fees or costs based on JBCC's standard rates.",
}

# --- 3. Backup services (TC [7]5, [8]2, [8]3) ---------------------------------------------------

BACKUP_SERVICES_TITLE = {"ja": "日次バックアップサービス", "en": "Daily backup service"}

BACKUP_SERVICES = (
    {"key": "daily_backup", "monthly_limit": None,
     "ja_name": "日次バックアップの作成作業", "en_name": "Creating daily backups",
     "ja": "予め設定されたスケジュールに基づきクラウド基盤の仮想マシンの日次バックアップを取得します。バックアップは、2世代迄保管を行います。",
     "en": "Daily backups of the cloud platform's virtual machines are taken on a preset schedule. Up to two generations of backups are kept."},
    {"key": "schedule_change", "monthly_limit": 1,
     "ja_name": "スケジュールの設定・変更作業", "en_name": "Setting or changing the backup schedule",
     "ja": "お客様の依頼(メール)に基づき、スケジュールの設定・変更作業を行います。作業後は、バックアップ取得完了メッセージの確認を行い、正常にバックアップが取得されない場合は、調査と復旧支援を行います。なお作業回数の上限は、月１回とします。",
     "en": "At the customer's request (by e-mail), we set or change the schedule. Afterwards we check the backup-completed message and, if backups are not taken correctly, investigate and support recovery. This work is limited to once a month."},
    {"key": "restore", "monthly_limit": 1,
     "ja_name": "日次バックアップリストア作業", "en_name": "Restoring from a daily backup",
     "ja": "お客様からのリストア実施の依頼（メール）に基づき、取得しているバックアップから仮想マシンへのリストア作業を月 1回迄実施します。",
     "en": "At the customer's request (by e-mail), we restore a virtual machine from the backups taken, up to once a month."},
)

BACKUP_HOURS = {
    "backup_and_monitoring": {"ref": "[8]2", "ja": "日次バックアップの取得および死活監視サービスは、24時間365日実施されます。", "en": "Daily backups and heartbeat monitoring run 24 hours a day, 365 days a year."},
    "schedule_and_restore": {"ref": "[8]3", "ja": "日次バックアップのスケジュール設定作業およびリストア作業の実施時間帯は次のとおりとします。平日 月曜日-金曜日 9:00-17:00 （土日、祝日、年末年始<12/30-1/4>、ＪＢＣＣの休業日を除く）", "en": "Backup schedule setting and restore work is done on weekdays, Monday to Friday, 9:00-17:00 (excluding Saturdays, Sundays, public holidays, the year-end/New Year period <12/30-1/4> and JBCC's closure days)."},
}

# --- 4. Package items (SD 2.1-2.3) -------------------------------------------------------------

PACKAGE_LEGEND = {
    "included": {"mark": "✓", "ja": "基本パッケージの一部として含まれます。", "en": "Included in the base package."},
    "purchasable": {"mark": "+", "ja": "購入可能な追加サービスです。", "en": "Additional service available for purchase."},
}

PACKAGE_CATEGORIES = {
    "planning": {"ja": "計画サービス", "en": "Planning services"},
    "implementation": {"ja": "実装サービス", "en": "Implementation services"},
    "maintenance": {"ja": "保守サービス", "en": "Maintenance services"},
    "optimization": {"ja": "最適化サービス", "en": "Optimization services"},
    "education": {"ja": "教育サービス", "en": "Education services"},
    "additional_proactive": {"ja": "追加プロアクティブ サービス", "en": "Additional proactive services"},
    "proactive_other": {"ja": "プロアクティブに関するその他事項", "en": "Other proactive items"},
    "reactive": {"ja": "リアクティブ サービス", "en": "Reactive services"},
    "sdm": {"ja": "サービス実施管理", "en": "Service delivery management"},
    "enhanced": {"ja": "エンハンスド サービスおよびソリューション", "en": "Enhanced services and solutions"},
}

PACKAGE_ITEMS = (
    {"key": "proof_of_concept", "category": "planning", "status": "purchasable", "ja": "概念実証", "en": "Proof of concept"},
    {"key": "onboarding_services", "category": "implementation", "status": "purchasable", "ja": "オンボーディング サービス", "en": "Onboarding services"},
    {"key": "on_demand_assessment", "category": "maintenance", "status": "included", "ja": "オンデマンド アセスメント", "en": "On-demand assessment"},
    {"key": "assessment_program", "category": "maintenance", "status": "purchasable", "ja": "アセスメント プログラム", "en": "Assessment program"},
    {"key": "offline_assessment", "category": "maintenance", "status": "purchasable", "ja": "オフライン アセスメント", "en": "Offline assessment"},
    {"key": "proactive_monitoring", "category": "maintenance", "status": "purchasable", "ja": "プロアクティブ監視", "en": "Proactive monitoring"},
    {"key": "proactive_operations_program", "category": "maintenance", "status": "purchasable", "ja": "システム運用強化対策支援プログラム (POP)", "en": "Proactive Operations Program (POP)"},
    {"key": "rap_as_a_service", "category": "maintenance", "status": "purchasable", "ja": "RAP as a Service", "en": "RAP as a Service"},
    {"key": "adoption_services", "category": "optimization", "status": "purchasable", "ja": "適応サービス", "en": "Adoption services"},
    {"key": "development_services", "category": "optimization", "status": "purchasable", "ja": "開発対象サービス", "en": "Development services"},
    {"key": "it_service_management", "category": "optimization", "status": "purchasable", "ja": "IT サービス管理", "en": "IT service management"},
    {"key": "security_services", "category": "optimization", "status": "purchasable", "ja": "セキュリティ サービス", "en": "Security services"},
    {"key": "on_demand_education", "category": "education", "status": "included", "ja": "オンデマンド エデュケーション", "en": "On-demand education"},
    {"key": "webcasts", "category": "education", "status": "included", "ja": "Web キャスト", "en": "Webcasts"},
    {"key": "chalk_talks", "category": "education", "status": "purchasable", "ja": "チョーク トーク", "en": "Chalk talks"},
    {"key": "workshops", "category": "education", "status": "purchasable", "ja": "ワークショップ", "en": "Workshops"},
    {"key": "custom_proactive_services", "category": "additional_proactive", "status": "purchasable", "ja": "カスタム プロアクティブ サービス (保守、最適化および教育サービス)", "en": "Custom proactive services (maintenance, optimization and education)"},
    {"key": "support_technology_advisor", "category": "additional_proactive", "status": "purchasable", "ja": "サポート テクノロジ アドバイザー", "en": "Support Technology Advisor"},
    {"key": "proactive_accelerators", "category": "additional_proactive", "status": "purchasable", "ja": "プロアクティブ アクセラレータ", "en": "Proactive accelerators"},
    {"key": "designated_engineering", "category": "additional_proactive", "status": "purchasable", "ja": "指定エンジニアリング", "en": "Designated Engineering"},
    {"key": "proactive_credits", "category": "proactive_other", "status": "purchasable", "ja": "プロアクティブ クレジット", "en": "Proactive credits"},
    {"key": "advisory_support", "category": "reactive", "status": "included", "ja": "アドバイザリー サポート", "en": "Advisory support"},
    {"key": "problem_resolution_support", "category": "reactive", "status": "included", "ja": "問題解決サポート", "en": "Problem resolution support"},
    {"key": "reactive_support_management", "category": "reactive", "status": "included", "ja": "リアクティブ サポート管理", "en": "Reactive support management"},
    {"key": "root_cause_analysis", "category": "reactive", "status": "purchasable", "ja": "根本原因分析", "en": "Root cause analysis"},
    {"key": "reactive_support_management_addon", "category": "reactive", "status": "purchasable", "ja": "リアクティブ サポート管理アドオン", "en": "Reactive support management add-on"},
    {"key": "customer_organization_enablement", "category": "sdm", "status": "included", "ja": "顧客組織の有効化", "en": "Customer organization enablement"},
    {"key": "product_and_security_update_guidance", "category": "sdm", "status": "included", "ja": "マイクロソフト製品、サービスおよびセキュリティ更新プログラムに関するガイダンス", "en": "Guidance on Microsoft products, services and security updates"},
    {"key": "program_development_and_management", "category": "sdm", "status": "included", "ja": "プログラム開発および管理", "en": "Program development and management"},
    {"key": "unified_support_onboarding", "category": "sdm", "status": "included", "ja": "ユニファイド エンタープライズ サポート オンボーディング", "en": "Unified Enterprise Support onboarding"},
    {"key": "cloud_success_program", "category": "sdm", "status": "purchasable", "ja": "クラウド サクセス プログラム", "en": "Cloud success program"},
    # seed: "✓" with footnote 1 "マイクロソフトが提供する可能性のある追加サービス。" (additional service Microsoft may provide)
    {"key": "cloud_solution_architect_developer_advocate", "category": "sdm", "status": "included", "ja": "クラウド ソリューション アーキテクト デベロッパー アドボケイト", "en": "Cloud Solution Architect developer advocate"},
    {"key": "executive_relationship_management", "category": "sdm", "status": "included", "ja": "管理職との関係の管理", "en": "Executive relationship management"},
    {"key": "additional_sdm", "category": "sdm", "status": "purchasable", "ja": "サービス実施管理の追加", "en": "Additional service delivery management"},
    {"key": "onsite_sdm", "category": "sdm", "status": "purchasable", "ja": "オンサイトのサービス実施管理", "en": "On-site service delivery management"},
    {"key": "enhanced_designated_engineering", "category": "enhanced", "status": "purchasable", "ja": "強化された指定エンジニアリング", "en": "Enhanced Designated Engineering"},
    {"key": "unified_enhanced_response", "category": "enhanced", "status": "purchasable", "ja": "統合エンハンスド レスポンス", "en": "Unified Enhanced Response"},
    {"key": "rapid_response", "category": "enhanced", "status": "purchasable", "ja": "ラピッド レスポンス", "en": "Rapid Response"},
    {"key": "azure_event_management", "category": "enhanced", "status": "purchasable", "ja": "Azure Event Management", "en": "Azure Event Management"},
    {"key": "office365_engineering_direct", "category": "enhanced", "status": "purchasable", "ja": "Office 365 Engineering Direct", "en": "Office 365 Engineering Direct"},
    # seed footnote 1: "数量の上限まで購入可能な追加サービスです。" (purchasable up to a quantity limit)
    {"key": "developer_support", "category": "enhanced", "status": "purchasable", "ja": "開発者サポート", "en": "Developer support"},
    {"key": "github_engineering_direct", "category": "enhanced", "status": "purchasable", "ja": "GitHub Engineering Direct", "en": "GitHub Engineering Direct"},
    {"key": "support_for_mission_critical", "category": "enhanced", "status": "purchasable", "ja": "ミッション クリティカル向けサポート", "en": "Support for Mission Critical"},
    {"key": "azure_engineering_direct", "category": "enhanced", "status": "purchasable", "ja": "Azure Engineering Direct", "en": "Azure Engineering Direct"},
    {"key": "cybersecurity_support_services", "category": "enhanced", "status": "purchasable", "ja": "サイバーセキュリティ サポート サービス", "en": "Cybersecurity support services"},
)

# Service items of the cloud software terms (TC [7]; options [16], [17]).
TERMS_SERVICE_ITEMS = (
    {"key": "qa", "ref": "[7]1", "option": False, "ja": "Q&Aサービス", "en": "Q&A service"},
    {"key": "incident", "ref": "[7]2", "option": False, "ja": "障害対応", "en": "Incident handling"},
    {"key": "version_up", "ref": "[7]3", "option": False, "ja": "バージョンアップサービス", "en": "Version upgrade service"},
    {"key": "infra_maintenance_notice", "ref": "[7]4", "option": False, "ja": "インフラメンテナンス連絡", "en": "Infrastructure maintenance notices"},
    {"key": "daily_backup", "ref": "[7]5", "option": False, "ja": "日次バックアップサービス", "en": "Daily backup service"},
    {"key": "heartbeat_monitoring", "ref": "[7]6", "option": False, "ja": "死活監視サービス", "en": "Heartbeat (alive) monitoring service"},
    {"key": "performance_monitoring", "ref": "[16]", "option": True, "ja": "性能監視サービス", "en": "Performance monitoring service"},
    {"key": "light_24_365", "ref": "[17]", "option": True, "ja": "24/365ライトサービス", "en": "24/365 Light service"},
)

# --- 5. Roles (SD 2.6; TC [9]2) -------------------------------------------------------------------

ROLES = {
    "customer_administrator": {
        "ja": "サポート サービス管理者", "en": "Support services administrator",
        "ja_description": "本会社は、本会社のチームを率い、本会社のすべてのサポート業務、およびマイクロソフトに対するサポート インシデント要請の提出に関する社内手続を管理する、指定サポート サービス管理者を指定します。",
        "en_description": "The Customer designates a support services administrator who leads the Customer's team and manages all of its support activities and its internal procedures for submitting support incident requests to Microsoft."},
    "designated_contact": {
        "ja": "指定連絡先担当者", "en": "Designated support contact",
        "ja_description": "本会社は、Microsoft サポート Web サイトを通じてまたは電話によりサポート要請を作成する責任を有する、リアクティブ サポートに関する指定連絡先担当者を指定することができます。",
        "en_description": "The Customer may designate reactive support contacts who are responsible for creating support requests through the Microsoft support website or by phone."},
    "cloud_administrator": {
        "ja": "クラウド管理者", "en": "Cloud administrator",
        "ja_description": "本会社のクラウド ベース サービスのクラウド管理者も、クラウドのサポート要請を、該当するサポート ポータルを通じて提出することができます。",
        "en_description": "The cloud administrators of the Customer's cloud-based services may also submit cloud support requests through the applicable support portal."},
    "terms_contact_person": {  # TC [9]2
        "ja": "ＪＢＣＣとの窓口となる者", "en": "Contact person for JBCC",
        "ja_description": "お客様は、サービス利用状況を管理するとともに利用申し込みもしくは利用条件の変更などにおいて、ＪＢＣＣとの窓口となる者をあらかじめ定めるものとします。",
        "en_description": "The customer shall appoint in advance a person who manages service usage and acts as the contact point with JBCC for applications, changes to terms of use and the like."},
}

CONTACT_CHANGE_NOTICE = {
    "services_description": {"ref": "SD 2.6", "ja": "本会社は、個別契約で指定された指定連絡先担当者に変更があった場合は、マイクロソフトに通知します。", "en": "The Customer will notify Microsoft of any change to the designated contacts named in the enrollment."},
    "terms": {"ref": "TC [9]2", "ja": "その変更が生じた場合、お客様はＪＢＣＣに対し速やかに通知するものとします。", "en": "If that person changes, the customer shall promptly notify JBCC."},
}

# --- 6. Confidentiality (SD 2.3, cybersecurity: 貴社の責任, last bullet) -------------------------------

CONFIDENTIALITY_NOTICE = {
    # exact seed wording (about materials, deliverables and records of the exercises / cybersecurity services)
    "ja_source": "セキュリティ上の危機および対応演習、その他サイバーセキュリティ対応サービスにおいて、本会社は、この演習の結果として作成された資料、提出物または記録は秘密情報として扱われ、本会社の内部業務目的にのみ使用され、当社の書面による事前の同意なしに第三者に配布、表示、その他の方法で移転されないことに同意します。さらに、本会社は、当該資料に付されている知的財産権の表示を含む、いかなる表示も変更、削除せず、または不明瞭にしてはなりません。",
    "en_source": "For the security crisis and response exercises and other cybersecurity services, the Customer agrees that materials, deliverables or records produced as a result of the exercise are treated as confidential information, are used only for the Customer's internal business purposes, and are not distributed, displayed or otherwise transferred to any third party without our prior written consent. In addition, the Customer must not alter, remove or obscure any notice on those materials, including intellectual property notices.",
    # COMPOSED (not in the seeds): short PDF footer adapted from the sentence above
    "ja": "本書は秘密情報です。本会社の内部業務目的にのみ使用し、書面による事前の同意なしに第三者に配布、表示、その他の方法で移転しないでください。知的財産権の表示を含む、いかなる表示も変更、削除し、または不明瞭にしないでください。",
    "en": "This document is confidential information. Use it only for your internal business purposes and do not distribute, display or otherwise transfer it to any third party without prior written consent. Do not alter, remove or obscure any notice, including intellectual property notices.",
}

# --- 7. Cancellation / rescheduling (SD 2.5) -------------------------------------------------------

CANCELLATION_RULE = {
    "ja": "本会社が事前に予定された所定のサービスの取りやめまたはスケジュール変更を要請する場合で、当該取りやめまたはスケジュール変更がサービスの提供の初日の 14 日前の期限を過ぎて行われたときは、マイクロソフトは、サービス価格の 100% を上限とする解約手数料を課せるものとします。",
    "en": "If the Customer asks to cancel or reschedule a previously scheduled service and the cancellation or rescheduling is made after the deadline of 14 days before the first day of the service, Microsoft may charge a cancellation fee of up to 100% of the service price.",
}

CANCELLATION_RELATED = {
    "min_registration": {"ref": "SD 2.5", "ja": "サービスのスケジュールは、マイクロソフトのスタッフの稼働状況に左右され、最小の登録レベルが満たされない場合、ワークショップはキャンセルされることがあります。", "en": "Scheduling depends on the availability of Microsoft staff, and workshops may be cancelled if the minimum number of registrations is not met."},
    "lapse": {"ref": "SD 2.5", "ja": "サポート個別契約の一環としてかかる契約の有効期間中に購入した追加サービスを含むすべてのサービスは、適用される個別契約の有効期間中に利用されない場合は失効します。", "en": "All services, including additional services bought during the term of the support enrollment, lapse if they are not used within the term of the applicable enrollment."},
    "request_60_days": {"ref": "SD 2.6", "ja": "本会社は、適用される個別契約の満了日の 60 日前までに、必要または適用すべきデータを添えてプロアクティブ サービスならびにエンハンスド サービスおよびソリューションを申請することに同意します。", "en": "The Customer agrees to request proactive services and enhanced services and solutions, with the necessary or applicable data, no later than 60 days before the expiry of the applicable enrollment."},
}

# --- 8. Terms sections (TC) -----------------------------------------------------------------------

_HOURS_JA = "平日 月曜日-金曜日 9:00-17:00 （土日、祝日、年末年始<12/30-1/4>、ＪＢＣＣの休業日を除く）"

TERMS_SECTIONS = {
    "business_hours": {"ref": "[8]1", "ja": "Q&Aサービスに基づくＪＢＣＣの回答は、次のとおりとします。" + _HOURS_JA, "en": "JBCC answers under the Q&A service on weekdays, Monday to Friday, 9:00-17:00 (excluding Saturdays, Sundays, public holidays, the year-end/New Year period <12/30-1/4> and JBCC's closure days)."},
    "holidays": {"ref": "[8]1", "ja": "（土日、祝日、年末年始<12/30-1/4>、ＪＢＣＣの休業日を除く）", "en": "(excluding Saturdays, Sundays, public holidays, the year-end/New Year period <12/30-1/4> and JBCC's closure days)"},
    "always_on": {"ref": "[8]2", "ja": "日次バックアップの取得および死活監視サービスは、24時間365日実施されます。", "en": "Daily backups and heartbeat monitoring run 24 hours a day, 365 days a year."},
    "backup_work_hours": {"ref": "[8]3", "ja": "日次バックアップのスケジュール設定作業およびリストア作業の実施時間帯は次のとおりとします。" + _HOURS_JA, "en": "Backup schedule setting and restore work is done on weekdays, Monday to Friday, 9:00-17:00 (same exclusions as above)."},
    # The terms give no response times; 対応開始時間 exists only in the services description (SD 2.2).
    "response_times": {"ref": "SD 2.2", "ja": "深刻度の定義、およびマイクロソフトのおおよその対応開始時間については、以下のインシデント対応表に詳しく規定されています。", "en": "Severity definitions and Microsoft's approximate response start times are set out in the incident response table below."},
    "response_business_hours": {"ref": "SD 2.2 fn 4", "ja": "営業時間は通常、現地標準時で 9:00 ～ 17:30 となりますが、休日と週末は除きます。営業時間は国によって異なることがあります。", "en": "Business hours are normally 9:00 to 17:30 local standard time, excluding holidays and weekends. Business hours may vary by country."},
    "monthly_request_limit": {"ref": "[9]1(1)", "ja": "Ｑ＆Ａサービスおよび障害対応依頼の受付件数の想定件数は5件/月とします。", "en": "The expected number of Q&A and incident requests received is 5 per month."},
    "no_refund_no_carryover": {"ref": "[9]1(2)", "ja": "ひと月当たりの受付件数が想定件数を下回っても、料金の払い戻しおよび翌月への持越しはありません。", "en": "If fewer requests than expected are received in a month, there is no refund and nothing carries over to the next month."},
    "contact_person": {"ref": "[9]2", "ja": "お客様は、サービス利用状況を管理するとともに利用申し込みもしくは利用条件の変更などにおいて、ＪＢＣＣとの窓口となる者をあらかじめ定めるものとします。その変更が生じた場合、お客様はＪＢＣＣに対し速やかに通知するものとします。", "en": "The customer shall appoint in advance a person who manages service usage and is the contact point with JBCC for applications, changes to terms of use and the like, and shall promptly notify JBCC of any change of that person."},
    "language": {"ref": "[9]3", "ja": "サポートサービスにおけるお問合せ、回答並びにご案内等は全て日本語でなされるものとし、それ以外の言語でのお問合せについては、ＪＢＣＣは対応義務を負わないものとします。", "en": "All inquiries, answers and notices in the support service are in Japanese; JBCC has no obligation to handle inquiries in other languages."},
    "out_of_scope_billing": {"ref": "[9]5", "ja": OUT_OF_SCOPE_NOTE["ja"], "en": OUT_OF_SCOPE_NOTE["en"]},
    "no_warranty": {"ref": "[9]6", "ja": "サポートサービスは、お客様に対する支援を目的としたサービスであり、サービスの内容に誤りのないこと、お客様の特定の使用目的を満たすこと、およびサービスの結果を保証するものではありません。", "en": "The support service is intended to assist the customer; it does not guarantee that its content is error-free, that it meets the customer's particular purpose, or any result."},
    "monthly_fee": {"ref": "[13]1", "ja": "本サービスの利用料は｢月額固定制｣とし、日割り計算はされないものとします。", "en": "The service is charged at a fixed monthly fee, not prorated by day."},
    "overage": {"ref": "[13]2", "ja": "本サービスにおいて、サービス明細記載の受付想定件数の上限及びクラウド基盤およびサーバー等の当初仕様、提供容量ないし通信量の制限等を超える利用があったときは、お客様はＪＢＣＣからの請求に従い、超過料金を支払うものとします。この場合、お客様およびＪＢＣＣは、次月以降の契約内容を見直すものとします。", "en": "If usage exceeds the expected number of requests stated in the service details, or the initial specifications, capacity or traffic limits of the cloud platform and servers, the customer shall pay an overage fee as invoiced by JBCC. In that case the customer and JBCC shall review the contract for the following months."},
    "option_24_365_hours": {"ref": "[17]2", "ja": "受付 24時間 365日 (メール） 対応 平日夜間 17:00-9:00 休日 0:00-24:00", "en": "Reception: 24 hours, 365 days (e-mail). Handling: weekday nights 17:00-9:00, holidays 0:00-24:00."},
}

# --- 9. Recording (SD 2.2, 教育サービス) ----------------------------------------------------------

RECORDING_NOTICE = {
    "ja": "ワークショップは、マイクロソフトからの明示的な書面による許可がなければ録画や録音はできません。",
    "en": "Workshops may not be recorded, on video or audio, without Microsoft's explicit written permission.",
}

# On-demand education items (SD 2.2, 教育サービス): what each one gives access to. Keys of PACKAGE_ITEMS.
ON_DEMAND_EDUCATION = {
    "on_demand_education": {
        "ja": "マイクロソフトが開発したワークショップ ライブラリ デジタル プラットフォーム上のさまざまなオンライン トレーニング資料およびオンライン ラボにアクセスすることができます。",
        "en": "Access to a range of online training materials and online labs on the digital platform of the workshop library developed by Microsoft."},
    "webcasts": {
        "ja": "マイクロソフトがホストする教育セッションにアクセスすることができます。リモートでオンラインで提供された、広範なサポートおよびマイクロソフト テクノロジについてのセッションを利用できます。",
        "en": "Access to education sessions hosted by Microsoft: sessions on a wide range of support and Microsoft technology topics, delivered remotely online."},
}

# --- 10. Outbriefs (SD 2.3, サイバーセキュリティ強化ソリューション, 成果物) ------------------------------

OUTBRIEF = {
    "document": {
        "ja": "要請に応じて、Microsoft PowerPoint 形式の「アウトブリーフ」ドキュメントが、デリバリー チームによって作成されます。これには、リスクの評価および/または改善のための推奨事項など、主要な調査結果の概要を記載します。",
        "en": "On request, the delivery team prepares an \"outbrief\" document in Microsoft PowerPoint format. It summarises the key findings, such as a risk assessment and/or recommendations for improvement."},
    "presentation": {
        "ja": "アウトブリーフに記載されている項目を伝えるために、本会社に口頭でアウトブリーフのプレゼンテーションを行います。",
        "en": "An oral outbrief presentation is given to the Customer to convey the items in the outbrief."},
    "delivery": {
        "ja": "成果物 (上記に定義) は、本会社が成果物を受け入れないことを選択しない限り、サイバーセキュリティ インシデント対応業務の終了後 10 暦日以内に納入されます。本会社がその選択で成果物を受け入れない場合でも、いかなる状況においても当社は責任を負わず、当社が当該成果物を納入する義務は、当社と本会社が別途合意しない限り、業務の最終日後 10 暦日をもって失効します。",
        "en": "The deliverables (defined above) are delivered within 10 calendar days after the end of the cybersecurity incident response engagement, unless the Customer chooses not to accept them. If the Customer so chooses, we are not liable under any circumstances, and our obligation to deliver those deliverables lapses 10 calendar days after the last day of the engagement, unless we and the Customer agree otherwise."},
}


def exclusion_text(key: str | None) -> str | None:
    """An exclusion of terms [10] in the seed's words, numbered, in the viewer's language
    (the request page, its export and the audit trail all read it here); None for no such key."""
    from portal.core.i18n import current_language

    item = next((entry for entry in OUT_OF_SCOPE_EXCLUSIONS if entry["key"] == key), None)
    if item is None:
        return None
    return f"({item['no']}) {item['ja' if current_language() == 'ja' else 'en']}"
