// The fixed vocabulary of synthetic Hangzhou cities: districts, landmark zones, platform, equipment
// and enterprise naming tables. Data only; synth.cpp decides how it is combined.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "psp/model.hpp"

namespace psp::synth::detail {

// Hangzhou's 13 county-level units in their official order. Positions are the approximate seats of
// the district governments in km from a city origin near West Lake (30.25°N, 120.15°E), enough to
// derive plausible travel times; weight is the district's relative share of platforms and firms.
struct DistrictInfo {
    std::string_view name;
    std::string_view short_name;
    double x_km;
    double y_km;
    int weight;
};

inline constexpr std::array<DistrictInfo, 13> districts = {{
    {"上城区", "上城", 4, 1, 10},
    {"拱墅区", "拱墅", 0, 7, 8},
    {"西湖区", "西湖", -5, 2, 12},
    {"滨江区", "滨江", 6, -5, 12},
    {"萧山区", "萧山", 11, -10, 10},
    {"余杭区", "余杭", -14, 5, 12},
    {"临平区", "临平", 14, 19, 5},
    {"钱塘区", "钱塘", 23, 6, 6},
    {"富阳区", "富阳", -18, -22, 4},
    {"临安区", "临安", -41, -2, 3},
    {"桐庐县", "桐庐", -44, -50, 2},
    {"淳安县", "淳安", -107, -71, 1},
    {"建德市", "建德", -84, -87, 2},
}};

// The first zones of each district are real, well-known agglomeration areas, so that a district-
// scale city reads like the place it models; further zones get composed names.
struct ZoneInfo {
    std::string_view name;
    ZoneType type;
};

inline constexpr int landmark_zones_per_district = 4;

inline constexpr std::array<std::array<ZoneInfo, landmark_zones_per_district>, 13> landmark_zones = {{
    {{{"钱江新城中央商务区", ZoneType::central_business},
      {"玉皇山南基金小镇", ZoneType::finance},
      {"湖滨商圈", ZoneType::trade_market},
      {"清河坊历史街区", ZoneType::tourism_leisure}}},
    {{{"武林中央商务区", ZoneType::central_business},
      {"运河财富小镇", ZoneType::finance},
      {"智慧网谷小镇", ZoneType::information_services},
      {"运河天地文化创意园", ZoneType::cultural_creative}}},
    {{{"紫金港科技城", ZoneType::tech_innovation},
      {"西溪谷互联网金融小镇", ZoneType::finance},
      {"之江文化创意园", ZoneType::cultural_creative},
      {"西湖风景名胜区", ZoneType::tourism_leisure}}},
    {{{"物联网小镇", ZoneType::tech_innovation},
      {"滨江互联网小镇", ZoneType::information_services},
      {"白马湖生态创意城", ZoneType::cultural_creative},
      {"星光大道商圈", ZoneType::trade_market}}},
    {{{"钱江世纪城", ZoneType::central_business},
      {"杭州空港经济区", ZoneType::logistics},
      {"湘湖旅游度假区", ZoneType::tourism_leisure},
      {"萧山信息港小镇", ZoneType::information_services}}},
    {{{"未来科技城", ZoneType::tech_innovation},
      {"梦想小镇", ZoneType::information_services},
      {"人工智能小镇", ZoneType::tech_innovation},
      {"良渚文化创意园", ZoneType::cultural_creative}}},
    {{{"临平新城中央商务区", ZoneType::central_business},
      {"艺尚小镇", ZoneType::cultural_creative},
      {"临平家纺市场集聚区", ZoneType::trade_market},
      {"临平数字经济产业园", ZoneType::information_services}}},
    {{{"下沙高教科创园", ZoneType::tech_innovation},
      {"医药港小镇", ZoneType::tech_innovation},
      {"杭州综合保税区", ZoneType::logistics},
      {"金沙湖中央商务区", ZoneType::central_business}}},
    {{{"银湖科技城", ZoneType::tech_innovation},
      {"富春山居旅游度假区", ZoneType::tourism_leisure},
      {"东洲物流园", ZoneType::logistics},
      {"富阳硅谷小镇", ZoneType::information_services}}},
    {{{"青山湖科技城", ZoneType::tech_innovation},
      {"天目山旅游度假区", ZoneType::tourism_leisure},
      {"昌化坚果炒货市场", ZoneType::trade_market},
      {"临安云制造小镇", ZoneType::tech_innovation}}},
    {{{"桐庐快递物流园", ZoneType::logistics},
      {"富春江旅游度假区", ZoneType::tourism_leisure},
      {"分水制笔市场", ZoneType::trade_market},
      {"富春未来城", ZoneType::central_business}}},
    {{{"千岛湖旅游度假区", ZoneType::tourism_leisure},
      {"千岛湖数字绿谷", ZoneType::information_services},
      {"淳安农特产品市场", ZoneType::trade_market},
      {"千岛湖文创园", ZoneType::cultural_creative}}},
    {{{"新安江旅游度假区", ZoneType::tourism_leisure},
      {"建德航空小镇", ZoneType::tech_innovation},
      {"寿昌物流园", ZoneType::logistics},
      {"建德高新技术产业园", ZoneType::tech_innovation}}},
}};

// Indexed by ZoneType.
inline constexpr std::array<std::string_view, zone_type_count> zone_type_labels = {
    "中央商务区", "科技创新园区", "文化创意园区", "现代物流园区",
    "商贸集聚区", "金融集聚区",   "旅游休闲区",   "信息服务集聚区",
};
// How strongly each zone type attracts new zones and client firms (indexed by ZoneType).
inline constexpr std::array<int, zone_type_count> zone_type_weights = {5, 6, 4, 3, 4, 3, 2, 6};

// Quarters used to name composed zones ("西湖城北科技创新园区").
inline constexpr std::string_view zone_places[] = {
    "城东", "城西", "城南", "城北", "新城", "沿江", "湖畔", "高铁", "临港", "中心", "开发区", "东部",
    "西部", "南部", "北部", "滨湖",
};

// What a platform of one field offers: its core kind always, plus a draw from its pool.
struct FieldInfo {
    std::string_view label;                   // used in alliance names
    ServiceKind core;
    std::span<const ServiceKind> pool;        // the other kinds consistent with the field
    std::span<const std::string_view> themes;
    std::span<const std::string_view> suffixes;
    int weight;                               // share of platforms in this field
};

inline constexpr ServiceKind tech_pool[] = {
    ServiceKind::product_design,     ServiceKind::equipment_sharing, ServiceKind::startup_mentoring,
    ServiceKind::information_consulting, ServiceKind::skills_training, ServiceKind::quality_testing,
    ServiceKind::intellectual_property,
};
inline constexpr ServiceKind quality_pool[] = {
    ServiceKind::equipment_sharing, ServiceKind::technology_rd,   ServiceKind::information_consulting,
    ServiceKind::skills_training,   ServiceKind::trade_dispute,   ServiceKind::administrative_approval,
};
inline constexpr ServiceKind ip_pool[] = {
    ServiceKind::information_consulting, ServiceKind::trade_dispute, ServiceKind::management_consulting,
    ServiceKind::financing_guarantee,    ServiceKind::administrative_approval, ServiceKind::marketing,
};
inline constexpr ServiceKind hr_pool[] = {
    ServiceKind::skills_training,       ServiceKind::startup_mentoring, ServiceKind::management_consulting,
    ServiceKind::information_consulting, ServiceKind::administrative_approval,
};
inline constexpr ServiceKind finance_pool[] = {
    ServiceKind::startup_mentoring, ServiceKind::management_consulting, ServiceKind::marketing,
    ServiceKind::information_consulting, ServiceKind::administrative_approval,
    ServiceKind::intellectual_property,
};

inline constexpr std::string_view tech_themes[] = {
    "集成电路", "人工智能", "生物医药", "新材料",   "智能制造", "数字安防", "物联网",   "新能源汽车",
    "高端装备", "工业互联网", "光电信息", "节能环保", "软件",     "航空航天", "绿色化工", "时尚纺织",
};
inline constexpr std::string_view tech_suffixes[] = {
    "公共技术服务平台", "技术创新服务中心", "开放实验室", "中试基地", "产业创新服务综合体",
};
inline constexpr std::string_view quality_themes[] = {
    "食品",   "电子电器", "纺织服装", "机械装备", "建筑材料", "医疗器械", "化妆品",   "汽车零部件",
    "电线电缆", "家具",   "特种设备", "新能源",   "集成电路", "生物医药", "智能家居", "五金工具",
};
inline constexpr std::string_view quality_suffixes[] = {
    "检验检测公共服务平台", "质量技术服务中心", "计量测试中心", "标准化服务平台", "产品质量检验中心",
};
inline constexpr std::string_view ip_themes[] = {
    "数字经济", "生物医药", "高端装备", "文化创意", "电子商务", "新材料", "集成电路", "时尚产业",
    "软件",     "智能制造",
};
inline constexpr std::string_view ip_suffixes[] = {
    "知识产权运营服务平台", "专利信息服务中心", "知识产权保护中心", "商标品牌指导站", "版权服务中心",
};
inline constexpr std::string_view hr_themes[] = {
    "数字人才", "电商人才", "技能人才", "高层次人才", "文创人才", "青年创业", "海外人才", "物流人才",
    "金融人才", "旅游人才",
};
inline constexpr std::string_view hr_suffixes[] = {
    "服务平台", "培训中心", "服务产业园", "公共实训基地",
};
inline constexpr std::string_view finance_themes[] = {
    "科技金融", "小微企业融资", "创业投资", "知识产权质押融资", "供应链金融", "文化金融", "绿色金融",
    "跨境金融",
};
inline constexpr std::string_view finance_suffixes[] = {
    "服务平台", "服务中心", "担保服务平台", "对接服务中心",
};

// Indexed by PlatformField.
inline constexpr std::array<FieldInfo, platform_field_count> fields = {{
    {"技术创新", ServiceKind::technology_rd, tech_pool, tech_themes, tech_suffixes, 35},
    {"检验检测", ServiceKind::quality_testing, quality_pool, quality_themes, quality_suffixes, 20},
    {"知识产权", ServiceKind::intellectual_property, ip_pool, ip_themes, ip_suffixes, 15},
    {"人力资源", ServiceKind::talent, hr_pool, hr_themes, hr_suffixes, 15},
    {"科技金融", ServiceKind::financing_guarantee, finance_pool, finance_themes, finance_suffixes, 15},
}};

// A shareable instrument or facility. Values are typical list prices in yuan; shared_units marks
// facilities (clusters, labs, studios) whose capacity is several units rather than one instrument.
struct EquipmentClassInfo {
    std::string_view name;
    std::string_view code;       // asset-tag prefix, unique per class
    std::string_view category;
    long long value_yuan;
    bool shared_units;
};

inline constexpr EquipmentClassInfo equipment_classes[] = {
    {"扫描电子显微镜（SEM）", "SEM", "analysis", 3'000'000, false},
    {"透射电子显微镜（TEM）", "TEM", "analysis", 12'000'000, false},
    {"X射线衍射仪（XRD）", "XRD", "analysis", 1'800'000, false},
    {"核磁共振波谱仪（NMR）", "NMR", "analysis", 6'000'000, false},
    {"液相色谱-质谱联用仪（LC-MS）", "LCMS", "analysis", 2'500'000, false},
    {"气相色谱-质谱联用仪（GC-MS）", "GCMS", "analysis", 1'200'000, false},
    {"电感耦合等离子体质谱仪（ICP-MS）", "ICPMS", "analysis", 2'000'000, false},
    {"傅里叶变换红外光谱仪（FTIR）", "FTIR", "analysis", 400'000, false},
    {"激光拉曼光谱仪", "RAMAN", "analysis", 900'000, false},
    {"紫外-可见分光光度计", "UVVIS", "analysis", 150'000, false},
    {"原子力显微镜（AFM）", "AFM", "analysis", 2'200'000, false},
    {"激光共聚焦显微镜", "CLSM", "analysis", 3'500'000, false},
    {"X射线光电子能谱仪（XPS）", "XPS", "analysis", 5'000'000, false},
    {"热重分析仪（TGA）", "TGA", "analysis", 300'000, false},
    {"差示扫描量热仪（DSC）", "DSC", "analysis", 350'000, false},
    {"高效液相色谱仪（HPLC）", "HPLC", "analysis", 450'000, false},
    {"电磁兼容测试系统（EMC）", "EMC", "testing", 8'000'000, false},
    {"万能材料试验机", "UTM", "testing", 600'000, false},
    {"高低温湿热试验箱", "CLIM", "testing", 250'000, false},
    {"电动振动试验台", "VIB", "testing", 900'000, false},
    {"盐雾腐蚀试验箱", "SALT", "testing", 120'000, false},
    {"三坐标测量机（CMM）", "CMM", "testing", 1'500'000, false},
    {"工业CT检测系统", "ICT", "testing", 6'500'000, false},
    {"半消声室", "ANECH", "testing", 3'000'000, false},
    {"安规综合测试仪", "SAFE", "testing", 200'000, false},
    {"金属3D打印机（SLM）", "SLM", "fabrication", 4'500'000, false},
    {"光固化3D打印机（SLA）", "SLA", "fabrication", 800'000, false},
    {"五轴数控加工中心", "CNC5", "fabrication", 3'200'000, false},
    {"激光切割机", "LASER", "fabrication", 1'100'000, false},
    {"精密注塑成型机", "MOLD", "fabrication", 700'000, false},
    {"PCB快速制板系统", "PCB", "fabrication", 1'300'000, false},
    {"紫外光刻机", "LITHO", "fabrication", 2'800'000, false},
    {"磁控溅射镀膜仪", "SPUT", "fabrication", 1'600'000, false},
    {"GPU计算集群", "GPU", "computing", 15'000'000, true},
    {"高性能计算集群（HPC）", "HPC", "computing", 20'000'000, true},
    {"云渲染农场", "RENDER", "computing", 5'000'000, true},
    {"EDA设计软件平台", "EDA", "computing", 3'000'000, true},
    {"工业仿真软件平台", "CAE", "computing", 2'000'000, true},
    {"光学动作捕捉系统", "MOCAP", "media", 1'500'000, false},
    {"4K影视后期制作系统", "POST", "media", 1'200'000, true},
    {"专业录音棚", "AUDIO", "media", 2'000'000, true},
    {"虚拟演播室", "VSTUDIO", "media", 3'500'000, true},
    {"高通量基因测序仪（NGS）", "NGS", "life_science", 7'000'000, false},
    {"流式细胞仪", "FCM", "life_science", 2'000'000, false},
    {"荧光定量PCR仪", "QPCR", "life_science", 400'000, false},
    {"二级生物安全实验室（BSL-2）", "BSL2", "life_science", 5'000'000, true},
    {"细胞培养实验室", "CELL", "life_science", 2'500'000, true},
    {"电子束曝光系统（EBL）", "EBL", "fabrication", 18'000'000, false},
    {"聚焦离子束系统（FIB）", "FIB", "analysis", 10'000'000, false},
    {"纳米压痕仪", "NANO", "testing", 1'200'000, false},
    {"超景深三维显微镜", "DOF3D", "analysis", 700'000, false},
    {"比表面积及孔隙度分析仪", "BET", "analysis", 450'000, false},
    {"激光粒度分析仪", "PSA", "analysis", 350'000, false},
    {"冷冻电镜（Cryo-EM）", "CRYOEM", "life_science", 50'000'000, false},
    {"元素分析仪", "EA", "analysis", 600'000, false},
    {"火焰原子吸收光谱仪（AAS）", "AAS", "analysis", 300'000, false},
    {"汽车整车排放试验台", "EMIS", "testing", 9'000'000, false},
    {"电池充放电测试系统", "BATT", "testing", 800'000, true},
    {"逆向工程三维扫描仪", "SCAN3D", "fabrication", 500'000, false},
    {"智能制造实训产线", "LINE", "fabrication", 6'000'000, true},
};

// The sectors of client firms, by the type of zone they settle in (indexed by ZoneType).
struct SectorInfo {
    std::string_view code;   // Enterprise::sector
    std::string_view word;   // used in the firm's registered name
};

inline constexpr SectorInfo cbd_sectors[] = {
    {"consulting", "企业管理咨询"}, {"legal", "法律咨询"}, {"accounting", "财务咨询"},
    {"advertising", "广告"},        {"headquarters", "实业"},
};
inline constexpr SectorInfo tech_sectors[] = {
    {"software", "软件科技"},        {"ai", "智能科技"},          {"biomedicine", "生物医药科技"},
    {"ic_design", "微电子科技"},     {"new_materials", "新材料科技"}, {"smart_manufacturing", "智能装备"},
};
inline constexpr SectorInfo cultural_sectors[] = {
    {"design", "设计"}, {"animation", "动漫"}, {"film", "影视文化"}, {"gaming", "网络科技"},
    {"publishing", "文化传媒"},
};
inline constexpr SectorInfo logistics_sectors[] = {
    {"logistics", "物流"}, {"express", "快递"}, {"warehousing", "仓储"}, {"supply_chain", "供应链管理"},
};
inline constexpr SectorInfo trade_sectors[] = {
    {"wholesale", "贸易"}, {"retail", "商贸"}, {"textiles", "纺织品"}, {"ecommerce", "电子商务"},
};
inline constexpr SectorInfo finance_sectors[] = {
    {"venture_capital", "投资管理"}, {"fintech", "金融信息服务"}, {"insurance", "保险代理"},
    {"asset_management", "资产管理"},
};
inline constexpr SectorInfo tourism_sectors[] = {
    {"hospitality", "酒店管理"}, {"tourism", "旅游开发"}, {"catering", "餐饮管理"}, {"sports", "体育文化"},
};
inline constexpr SectorInfo info_sectors[] = {
    {"ecommerce", "电子商务"},      {"software", "信息技术"}, {"data_services", "数据科技"},
    {"livestreaming", "网络传媒"},  {"cloud", "云计算科技"},
};

inline constexpr std::array<std::span<const SectorInfo>, zone_type_count> sectors_by_zone_type = {
    cbd_sectors,     tech_sectors,   cultural_sectors, logistics_sectors,
    trade_sectors,   finance_sectors, tourism_sectors,  info_sectors,
};

// Characters of firms' trade names (字号). All distinct: the generator maps enterprise numbers
// one-to-one onto strings of them, which is what keeps 500,000 names unique without a lookup.
inline constexpr std::array<std::string_view, 100> trade_name_chars = {
    "华", "信", "达", "杰", "瑞", "恒", "博", "创", "聚", "盛", "泰", "锐", "源", "星", "云", "海", "宏",
    "安", "嘉", "鼎", "诚", "德", "丰", "福", "光", "汇", "佳", "金", "凯", "坤", "立", "联", "龙", "美",
    "明", "宁", "鹏", "启", "睿", "荣", "尚", "圣", "拓", "天", "通", "伟", "新", "兴", "旭", "亚", "扬",
    "益", "颖", "永", "优", "宇", "远", "悦", "越", "智", "中", "卓", "众", "志", "正", "臻", "航", "辰",
    "晨", "朗", "灵", "麦", "米", "欣", "鑫", "涵", "澜", "禾", "和", "合", "弘", "鸿", "洲", "峰", "帆",
    "驰", "途", "蓝", "青", "绿", "橙", "紫", "银", "铭", "晟", "昊", "昕", "晖", "曜", "煜",
};

}  // namespace psp::synth::detail
