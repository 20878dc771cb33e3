"""The products the corpus's answers were written for, as customers send them."""

from apps.generation.prompts import ItemInput

BRAND = {"name": "Nordic Home"}

PRODUCTS = {
    "lamp": ItemInput(sku="LAMP-OAK-45", name="Oak desk lamp", price="89.00", currency="EUR",
                      attributes={"height_cm": 45, "material": "solid oak", "bulb": "E27"},
                      keywords=["desk lamp"]),
    "mug": ItemInput(sku="MUG-STONE-350", name="Stoneware mug", price="14.00", currency="EUR",
                     brief="Hand-glazed stoneware mug, 350 ml. Each glaze is slightly different.",
                     attributes={"capacity_ml": 350, "material": "stoneware",
                                 "dishwasher_safe": True}),
    "throw": ItemInput(sku="THROW-WOOL-130", name="Wool throw", price="89.00", currency="EUR",
                       attributes={"size": "130 x 170 cm", "material": "merino wool"}),
    "chair": ItemInput(sku="CHAIR-ASH-01", name="Ash dining chair", price="149.00",
                       currency="EUR", brief="Ash wood dining chair with a woven paper cord seat.",
                       attributes={"seat_height_cm": 46, "weight_kg": 5.2}),
    "kettle": ItemInput(sku="KETTLE-GLASS-17", name="Glass kettle", price="39.90",
                        currency="USD", attributes={"capacity_l": 1.7, "power_w": 2200}),
    "bottle": ItemInput(sku="BOTTLE-STEEL-750", name="Steel water bottle", price="24.50",
                        currency="EUR",
                        attributes={"capacity_ml": 750, "keeps_cold_h": 24, "keeps_hot_h": 12}),
    "cushion": ItemInput(sku="CUSHION-LINEN-50", name="Linen cushion cover", price="29.00",
                         currency="EUR", attributes={"size": "50 x 50 cm", "pack_size": 2,
                                                     "material": "washed linen"}),
    "backpack": ItemInput(sku="PACK-CITY-20", name="City backpack", price="1299.00",
                          currency="RUB", attributes={"capacity_l": 20, "laptop_in": 15.6,
                                                      "weight_g": 780}),
    "candle": ItemInput(sku="CANDLE-SOY-200", name="Soy candle Forest", price="18.00",
                        currency="EUR", attributes={"weight_g": 200, "burn_time_h": 40},
                        keywords=["soy candle"]),
    "knife": ItemInput(sku="KNIFE-CHEF-20", name="Chef's knife", price="65.00", currency="EUR",
                       attributes={"blade_cm": 20, "steel": "X50CrMoV15"}),
}
